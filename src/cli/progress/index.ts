/** Progress bars for long CLI work, drawn only on a TTY (or with TRUSS_PROGRESS=1). @module */
export {
  type Progress,
  type ProgressStream,
  progressEnabled,
  renderBar,
  startProgress,
} from "./bar.js"
