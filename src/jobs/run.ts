import type { JobBackend, JobRow } from "./backend.js"
import { jobNamed } from "./define.js"
import { jobsErrors } from "./errors.js"

/**
 * Where a worker writes job events: the app's pino logger fits (`startWorker(app)`
 * passes `app.log`).
 *
 * @example
 * ```ts
 * import pino from "pino"
 * import type { JobLogger } from "truss/jobs"
 * const logger: JobLogger = pino()
 * ```
 */
export interface JobLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/**
 * Full-jitter exponential backoff: a random delay in [0, base·2^(attempt-1)].
 *
 * @example
 * ```ts
 * import { backoffDelay } from "truss/jobs"
 * const ms = backoffDelay(1000, 3) // between 0 and 4000
 * ```
 */
export function backoffDelay(base: number, attempt: number): number {
  return Math.floor(Math.random() * base * 2 ** (attempt - 1))
}

/** The abort reason of a graceful shutdown: the job is released, not failed. */
export const SHUTDOWN = new Error("worker shutting down")

/** What one run needs from its worker. */
export interface RunSettings {
  readonly backend: JobBackend
  readonly leaseMs: number
  readonly logger: JobLogger | undefined
  /** Marks a job done (batched with the others that finish in the same tick). */
  readonly complete: (id: string) => Promise<void>
}

function fields(row: JobRow, extra: object = {}): object {
  return { job: row.name, jobId: row.id, queue: row.queue, attempt: row.attempts, ...extra }
}

async function settle(s: RunSettings, row: JobRow, err: unknown, ms: number): Promise<void> {
  const error = err instanceof Error ? err : new Error(String(err))
  const job = jobNamed(row.name)
  const info = fields(row, { ms, err: { message: error.message, stack: error.stack } })
  if (row.attempts < row.maxAttempts && job !== undefined) {
    const runAt = Date.now() + backoffDelay(job.options.backoff ?? 1000, row.attempts)
    await s.backend.finish(row.id, "queued", { error, runAt })
    s.logger?.warn({ ...info, retryAt: new Date(runAt).toISOString() }, "job failed, retrying")
  } else {
    await s.backend.finish(row.id, "dead", { error })
    s.logger?.error(info, "job dead-lettered")
  }
}

function deadline(row: JobRow, ms: number, abort: AbortController): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = (): void => reject(abort.signal.reason)
    if (abort.signal.aborted) return fail()
    abort.signal.addEventListener("abort", fail, { once: true })
    const timer = setTimeout(() => abort.abort(jobsErrors.TIMEOUT({ job: row.name, ms })), ms)
    abort.signal.addEventListener("abort", () => clearTimeout(timer), { once: true })
  })
}

/** Runs one claimed job to done, retry or dead letter; never rejects for a handler's sake. */
export async function runOne(s: RunSettings, row: JobRow, abort: AbortController): Promise<void> {
  const job = jobNamed(row.name)
  if (job === undefined) {
    const error = jobsErrors.UNKNOWN_JOB({ job: row.name })
    await s.backend.finish(row.id, "dead", { error })
    s.logger?.error(fields(row, { err: { message: error.message } }), "job dead-lettered")
    return
  }
  const beat = setInterval(() => {
    s.backend.heartbeat(row.id, s.leaseMs).then(
      (mine) => mine || abort.abort(new Error("cancelled")),
      () => {},
    )
  }, s.leaseMs / 3)
  const started = performance.now()
  const elapsed = (): number => Math.round(performance.now() - started)
  try {
    const ctx = { id: row.id, attempt: row.attempts, signal: abort.signal }
    await Promise.race([
      Promise.resolve().then(() => job.options.handler(JSON.parse(row.payload), ctx)),
      deadline(row, job.options.timeout ?? 60_000, abort),
    ])
    await s.complete(row.id)
    s.logger?.info(fields(row, { ms: elapsed() }), "job done")
  } catch (err) {
    if (!(abort.signal.aborted && abort.signal.reason === SHUTDOWN))
      await settle(s, row, err, elapsed())
  } finally {
    clearInterval(beat)
    // Ends the deadline's timer on success too.
    if (!abort.signal.aborted) abort.abort(DONE)
  }
}

const DONE = new Error("job finished")
