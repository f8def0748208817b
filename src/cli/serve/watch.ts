/**
 * The file watcher of `truss dev`: one recursive `fs.watch` on the project, changes to
 * source-like files only, bursts collapsed into one call after `debounceMs`.
 * @module
 */
import { type FSWatcher, watch } from "node:fs"

/** Folders whose changes never restart the app. */
const IGNORED_DIRS = /(^|[/\\])(node_modules|\.git|dist|coverage|data|\.truss)([/\\]|$)/
/** Files that do: code, config and env. */
const WATCHED_FILES = /\.(ts|tsx|mts|cts|js|mjs|cjs|json|env)$|(^|[/\\])\.env(\.[\w-]+)?$/

/** Whether a changed path (relative to the project) should restart the app. */
export function restartsOn(file: string): boolean {
  return !IGNORED_DIRS.test(file) && WATCHED_FILES.test(file)
}

/** Watches `dir`; calls `onChange` with the changed files once a burst has settled. */
export function watchProject(
  dir: string,
  debounceMs: number,
  onChange: (files: string[]) => void,
): FSWatcher {
  let timer: NodeJS.Timeout | undefined
  const changed = new Set<string>()
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (file === null || !restartsOn(file)) return
    changed.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...changed].sort()
      changed.clear()
      onChange(files)
    }, debounceMs)
  })
  watcher.on("close", () => clearTimeout(timer))
  return watcher
}
