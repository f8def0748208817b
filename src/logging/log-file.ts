import { closeSync, openSync, writeSync } from "node:fs"
import type { DestinationStream } from "pino"
import { errors } from "../errors.js"

/** Pending text that is written at once, without waiting for the timer. */
const FLUSH_LENGTH = 16_384
/** The longest a line waits before it is written. */
const FLUSH_MS = 50

/**
 * A log file that gathers lines and writes them with one `write(2)` once 16 KiB are
 * pending or 50 ms after the first of them, whichever comes first (pino's buffered
 * `minLength` destination does the same to spare a busy server a system call per
 * line).
 *
 * Why not `pino.destination(path)` (sonic-boom): its `write()` measures the byte length
 * of the whole pending chunk on every line, so a busy server pays ~2.5 µs more per
 * line (4.0 vs 1.5 µs per pino line in 20-line turns, Node 24; `bench/README.md`). And
 * why not one write per event-loop turn, as before: under load that is thousands of
 * appends a second, each updating the file's times, and the hello route with the
 * batteries measured 0.49× of node:http that way against 0.69× with 16 KiB writes in
 * the same run. A regular file never blocks for long, so the writes are synchronous;
 * `flushSync()` (called on process exit, so after an uncaught exception too, and by
 * `app.close()`) writes what is left. Only a process killed outright (SIGKILL, the OOM
 * killer) loses its last ≤ 50 ms of lines.
 * @internal
 */
export class LogFile implements DestinationStream {
  #fd: number
  #pending = ""
  #scheduled = false
  readonly #flush = () => this.flushSync()

  /** @throws TRUSS_ERR_INVALID_OPTION when the file cannot be opened for appending. */
  constructor(path: string) {
    try {
      this.#fd = openSync(path, "a")
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err)
      throw errors.INVALID_OPTION({
        option: "logger.destination",
        reason: `cannot open "${path}" for appending (${code}); create its folder or choose a writable path`,
      })
    }
    if (open.size === 0) process.once("exit", flushAll)
    open.add(this)
  }

  write(line: string): void {
    this.#pending += line
    if (this.#pending.length >= FLUSH_LENGTH) this.flushSync()
    else if (!this.#scheduled) {
      this.#scheduled = true
      setTimeout(this.#flush, FLUSH_MS).unref()
    }
  }

  /** Writes every pending line now. */
  flushSync(): void {
    this.#scheduled = false
    const text = this.#pending
    if (text === "" || this.#fd < 0) return
    this.#pending = ""
    // The string goes to write(2) as it is: node encodes it natively, where Buffer.from
    // would copy it through a JavaScript buffer first (~0.6 µs per request line at
    // 16 KiB writes). A regular file takes it whole unless the disk is full; a short
    // write sends the rest from a buffer.
    const written = writeSync(this.#fd, text)
    const bytes = Buffer.byteLength(text)
    if (written < bytes) {
      const rest = Buffer.from(text).subarray(written)
      let done = 0
      while (done < rest.length) done += writeSync(this.#fd, rest, done)
    }
  }

  /** pino's `logger.flush(cb)` calls this. */
  flush(cb?: (err?: Error) => void): void {
    try {
      this.flushSync()
      cb?.()
    } catch (err) {
      cb?.(err as Error)
    }
  }

  /** Flushes and closes the file; later lines are dropped. */
  end(): void {
    this.flushSync()
    if (this.#fd >= 0) closeSync(this.#fd)
    this.#fd = -1
    open.delete(this)
    if (open.size === 0) process.off("exit", flushAll)
  }
}

// One exit listener for every open log file, however many apps a process makes.
const open = new Set<LogFile>()
function flushAll(): void {
  for (const file of open) file.flushSync()
}
