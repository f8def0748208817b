import type { DatabaseBackend, JobRow } from "./backends/database/index.js"
import { jobNamed } from "./define.js"
import { jobsErrors } from "./errors.js"

/**
 * Where a worker writes job events (a pino logger fits).
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
  error(obj: object, msg: string): void
}

/**
 * How a worker runs.
 *
 * @example
 * ```ts
 * import type { WorkerOptions } from "truss/jobs"
 * const concurrency: WorkerOptions["concurrency"] = 10
 * ```
 */
export interface WorkerOptions {
  readonly backend: DatabaseBackend
  readonly concurrency?: number
  readonly queue?: string
  /** Poll interval when idle, in ms (default 200). */
  readonly pollMs?: number
  /** Lease length in ms (default 30 000); heartbeats renew it every third of it. */
  readonly leaseMs?: number
  readonly logger?: JobLogger
}

/**
 * A running worker.
 *
 * @example
 * ```ts
 * import type { Worker } from "truss/jobs"
 * process.on("SIGTERM", (w?: Worker) => w?.stop(10_000))
 * ```
 */
export interface Worker {
  /** Stops claiming, waits up to `timeoutMs` for running jobs, then releases the rest. */
  stop(timeoutMs?: number): Promise<void>
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

async function settle(
  b: DatabaseBackend,
  row: JobRow,
  err: unknown,
  log?: JobLogger,
): Promise<void> {
  const error = err instanceof Error ? err : new Error(String(err))
  const job = jobNamed(row.name)
  if (row.attempts < row.maxAttempts && job !== undefined) {
    const runAt = Date.now() + backoffDelay(job.options.backoff ?? 1000, row.attempts)
    await b.finish(row.id, "queued", { error, runAt })
    log?.error(
      { job: row.name, id: row.id, attempt: row.attempts, err: error.message },
      "job failed, retrying",
    )
  } else {
    await b.finish(row.id, "dead", { error })
    log?.error(
      { job: row.name, id: row.id, attempt: row.attempts, err: error.message },
      "job dead-lettered",
    )
  }
}

async function runOne(
  b: DatabaseBackend,
  row: JobRow,
  abort: AbortController,
  o: WorkerOptions,
): Promise<void> {
  const job = jobNamed(row.name)
  if (job === undefined) {
    await b.finish(row.id, "dead", { error: jobsErrors.UNKNOWN_JOB({ job: row.name }) })
    return
  }
  const leaseMs = o.leaseMs ?? 30_000
  const beat = setInterval(() => {
    b.heartbeat(row.id, leaseMs).then(
      (mine) => mine || abort.abort(new Error("cancelled")),
      () => {},
    )
  }, leaseMs / 3)
  const ms = job.options.timeout ?? 60_000
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = jobsErrors.TIMEOUT({ job: row.name, ms })
        abort.abort(e)
        reject(e)
      }, ms)
    })
    const aborted = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(abort.signal.reason)),
    )
    const ctx = { id: row.id, attempt: row.attempts, signal: abort.signal }
    await Promise.race([
      Promise.resolve().then(() => job.options.handler(JSON.parse(row.payload), ctx)),
      timeout,
      aborted,
    ])
    await b.finish(row.id, "done")
    o.logger?.info({ job: row.name, id: row.id, attempt: row.attempts }, "job done")
  } catch (err) {
    if (!(abort.signal.aborted && abort.signal.reason === SHUTDOWN))
      await settle(b, row, err, o.logger)
  } finally {
    clearInterval(beat)
    clearTimeout(timer)
  }
}

const SHUTDOWN = new Error("worker shutting down")

/**
 * Starts a worker in this process: it claims due jobs, runs up to `concurrency` at once,
 * and never stops because a handler throws, hangs or rejects.
 *
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { startWorker, useJobs } from "truss/jobs"
 * const backend = await useJobs(await connect("sqlite::memory:"))
 * const worker = startWorker({ backend, concurrency: 4 })
 * await worker.stop()
 * ```
 */
export function startWorker(o: WorkerOptions): Worker {
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>()
  const concurrency = o.concurrency ?? 10
  let stopping = false
  let wake: (() => void) | undefined
  const loop = async (): Promise<void> => {
    while (!stopping) {
      const free = concurrency - running.size
      const rows =
        free > 0
          ? await o.backend.claim(o.queue ?? "default", free, o.leaseMs ?? 30_000).catch(() => [])
          : []
      for (const row of rows) {
        const abort = new AbortController()
        const done = runOne(o.backend, row, abort, o)
          .catch(() => {})
          .finally(() => {
            running.delete(row.id)
            wake?.()
          })
        running.set(row.id, { abort, done })
      }
      if (rows.length === 0 || running.size >= concurrency)
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, o.pollMs ?? 200)
        })
    }
  }
  const looping = loop()
  return {
    async stop(timeoutMs = 10_000) {
      stopping = true
      wake?.()
      await looping
      const all = Promise.all([...running.values()].map((r) => r.done))
      await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())])
      for (const [id, r] of running) {
        r.abort.abort(SHUTDOWN)
        await o.backend.release(id)
      }
      await all
    },
  }
}
