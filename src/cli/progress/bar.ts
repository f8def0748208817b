/**
 * A progress bar for long CLI work (migrate, backup, restore, loaddata), drawn on one
 * terminal line with `\r`. It draws only when stdout is a TTY, so logs and pipes get
 * the plain summary lines and no control characters; `TRUSS_PROGRESS=1` forces it on
 * (for tests and CI logs that render `\r`), `TRUSS_PROGRESS=0` off.
 * @module
 */

/** Where a bar is drawn: `process.stdout` in the bin. */
export interface ProgressStream {
  readonly isTTY?: boolean
  write(chunk: string): unknown
}

/** A running bar: advance it, then finish it (which ends its line). */
export interface Progress {
  /** Sets how much is done, out of the total. */
  update(done: number): void
  /** Adds `n` (default 1) to what is done. */
  tick(n?: number): void
  /** Draws the bar full or as left, and ends the line. */
  done(): void
}

const WIDTH = 30
const NONE: Progress = { update() {}, tick() {}, done() {} }

/** Whether bars are drawn on `stream` under `env` (TRUSS_PROGRESS overrides the TTY test). */
export function progressEnabled(
  stream: ProgressStream | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.TRUSS_PROGRESS === "1") return stream !== undefined
  if (env.TRUSS_PROGRESS === "0") return false
  return stream?.isTTY === true
}

/** One drawing of the bar: `label [#####-----] 3/10`. */
export function renderBar(label: string, done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1
  const full = Math.round(ratio * WIDTH)
  return `${label} [${"#".repeat(full)}${"-".repeat(WIDTH - full)}] ${done}/${total}`
}

/**
 * Starts a bar of `total` steps, or a silent one when bars are off.
 * @example
 * ```ts
 * // const bar = startProgress(process.stdout, process.env, "Migrating", 3)
 * // bar.tick() … bar.done()
 * ```
 */
export function startProgress(
  stream: ProgressStream | undefined,
  env: Readonly<Record<string, string | undefined>>,
  label: string,
  total: number,
): Progress {
  if (!progressEnabled(stream, env) || stream === undefined) return NONE
  let done = 0
  let drawn = ""
  const draw = () => {
    const line = renderBar(label, done, total)
    if (line === drawn) return
    drawn = line
    stream.write(`\r${line}`)
  }
  draw()
  return {
    update(n) {
      done = Math.min(total, n)
      draw()
    },
    tick(n = 1) {
      done = Math.min(total, done + n)
      draw()
    },
    done() {
      draw()
      stream.write("\n")
    },
  }
}
