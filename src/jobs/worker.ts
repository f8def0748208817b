import type { App } from "../kit.js"
import type { JobBackend, JobRow } from "./backend.js"
import { completer } from "./complete.js"
import { currentBackend } from "./current.js"
import { type JobLogger, runOne, SHUTDOWN } from "./run.js"
import { definedSchedules, runSchedules, type Schedule } from "./schedules/index.js"

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
  /** @default the backend `useJobs()` installed */
  readonly backend?: JobBackend
  /** Jobs run at once. @default 10 */
  readonly concurrency?: number
  /** @default "default" */
  readonly queue?: string
  /**
   * Jobs claimed ahead of free slots and held, leased, in memory, so that one round
   * trip brings `concurrency + prefetch` jobs. It pays off for short jobs; a held job
   * has its lease renewed, counts its attempt when claimed, and is released on
   * shutdown. @default 0
   */
  readonly prefetch?: number
  /** Poll interval when idle, in ms; PostgreSQL workers are also woken by NOTIFY. @default 1000 */
  readonly pollMs?: number
  /** Lease length in ms; heartbeats renew it every third of it. @default 30 000 */
  readonly leaseMs?: number
  /** @default the app's logger with `startWorker(app)`, else none */
  readonly logger?: JobLogger
  /** How long a graceful stop waits for running jobs, in ms. @default 10 000 */
  readonly shutdownMs?: number
  /** Stop gracefully on SIGTERM and SIGINT. @default false */
  readonly signals?: boolean
  /** Schedules this worker enqueues ticks of: all defined ones, none, or a list. @default true */
  readonly schedules?: boolean | readonly Schedule[]
}

/**
 * A running worker.
 *
 * @example
 * ```ts
 * import type { Worker } from "truss/jobs"
 * const drain = (w: Worker) => w.stop(10_000)
 * ```
 */
export interface Worker {
  /** Stops claiming, waits up to `timeoutMs` for running jobs, then releases the rest. */
  stop(timeoutMs?: number): Promise<void>
  /** Settles once the worker has stopped (by `stop()` or a signal). */
  readonly stopped: Promise<void>
  /** Settles once the worker listens for new jobs (PostgreSQL LISTEN), at once elsewhere. */
  readonly ready: Promise<void>
  /** Jobs running now. */
  readonly running: number
}

/**
 * What a backend that fetches jobs itself runs for a worker (BullMQ's own `Worker`,
 * which completes a job and locks the next one in one call). The worker still runs each
 * job and settles it through the backend's `finish()` and `release()`.
 */
export interface JobConsumer {
  /** Settles once the consumer fetches. */
  readonly ready: Promise<void>
  /** Stops fetching; settles once every job it handed out has been settled and written. */
  close(): Promise<void>
}

/** A backend with its own fetch loop: `consume()` hands each fetched job to `run`. */
export interface ConsumingBackend extends JobBackend {
  consume(
    queue: string,
    o: { concurrency: number; leaseMs: number; logger?: JobLogger; run: (row: JobRow) => void },
  ): JobConsumer
}

function consumes(b: JobBackend): b is ConsumingBackend {
  return typeof (b as Partial<ConsumingBackend>).consume === "function"
}

function isApp(x: App | WorkerOptions): x is App {
  return typeof (x as App).onClose === "function"
}

/**
 * Starts a worker in this process: it claims due jobs, runs up to `concurrency` at once,
 * and never stops because a handler throws, hangs or rejects. `startWorker(app)` logs
 * through `app.log` and stops when the app closes.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { connect, createTables } from "truss/orm"
 * import { jobsModels, startWorker, useJobs } from "truss/jobs"
 * const db = await connect("sqlite::memory:")
 * await createTables(db, jobsModels)
 * useJobs(db)
 * const app = new App()
 * const worker = startWorker(app, { concurrency: 4, signals: true })
 * await app.close() // stops the worker
 * ```
 */
export function startWorker(app: App, options?: WorkerOptions): Worker
export function startWorker(options?: WorkerOptions): Worker
export function startWorker(first: App | WorkerOptions = {}, more: WorkerOptions = {}): Worker {
  const app = isApp(first) ? first : undefined
  const o = app ? more : (first as WorkerOptions)
  const logger = o.logger ?? app?.log
  const worker = createWorker(o.backend ?? currentBackend("startWorker()"), o, logger)
  const shutdownMs = o.shutdownMs ?? 10_000
  app?.onClose(() => worker.stop(shutdownMs))
  if (o.signals) {
    const onSignal = (signal: string): void => {
      logger?.info({ signal, running: worker.running }, "worker stopping")
      void worker.stop(shutdownMs).then(() => app?.close())
    }
    process.once("SIGTERM", onSignal)
    process.once("SIGINT", onSignal)
    void worker.stopped.then(() => {
      process.off("SIGTERM", onSignal)
      process.off("SIGINT", onSignal)
    })
  }
  return worker
}

function createWorker(backend: JobBackend, o: WorkerOptions, logger?: JobLogger): Worker {
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>()
  const concurrency = o.concurrency ?? 10
  const queue = o.queue ?? "default"
  const leaseMs = o.leaseMs ?? 30_000
  let stopping = false
  let pending = false
  let wake: (() => void) | undefined
  const poke = (): void => {
    pending = true
    wake?.()
  }
  const nap = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      if (pending || stopping) return resolve()
      const timer = setTimeout(() => wake?.(), ms)
      wake = () => {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
    })
  // A consuming backend's fetch loop waits for jobs itself.
  const subscribed = (consumes(backend) ? undefined : backend)
    ?.subscribe?.((q) => q === queue && poke())
    .catch((err: unknown) => {
      logger?.warn({ err }, "jobs: LISTEN failed, polling only")
      return async () => {}
    })
  const list =
    o.schedules === false
      ? []
      : o.schedules === true || o.schedules === undefined
        ? definedSchedules()
        : o.schedules
  const stopSchedules = list.length > 0 ? runSchedules(backend, list, logger) : undefined
  const prefetch = o.prefetch ?? 0
  // Claimed jobs waiting for a slot (only with `prefetch`), and "done" writes in flight.
  const held: JobRow[] = []
  const writes = new Set<Promise<void>>()
  const room = (): number =>
    stopping ? 0 : Math.max(0, concurrency + prefetch - running.size - held.length)
  const accept = (row: JobRow): void => {
    if (stopping) void backend.release(row.id).catch(() => {})
    else if (running.size < concurrency) spawn(row)
    else held.push(row)
  }
  // A slot is free once the handler has ended: its "done" write goes out with the
  // next batch while the next job runs.
  const free = (id: string): void => {
    if (!running.delete(id)) return
    const next = held.shift()
    if (next !== undefined && !stopping) spawn(next)
    poke()
  }
  const spawn = (row: JobRow): void => {
    const abort = new AbortController()
    const done = runOne(settings, row, abort)
      .catch(() => {})
      .finally(() => free(row.id))
    running.set(row.id, { abort, done })
  }
  // A consuming backend writes "done" as its own fetch loop goes on; others batch.
  const consumer = consumes(backend)
    ? backend.consume(queue, { concurrency, leaseMs, logger, run: accept })
    : undefined
  const batched =
    consumer === undefined
      ? completer(backend, queue, leaseMs, room, accept)
      : (id: string) => backend.finish(id, "done")
  const complete = (id: string): Promise<void> => {
    const write = batched(id)
    const tracked = write.catch(() => {}).finally(() => writes.delete(tracked))
    writes.add(tracked)
    free(id)
    return write
  }
  const settings = { backend, leaseMs, logger, complete }
  // Held jobs are not running, so their leases are renewed here.
  const renew =
    prefetch > 0 && consumer === undefined
      ? setInterval(() => {
          for (const row of held)
            backend.heartbeat(row.id, leaseMs).then(
              (mine) => {
                const i = held.indexOf(row)
                if (!mine && i >= 0) held.splice(i, 1)
              },
              () => {},
            )
        }, leaseMs / 3)
      : undefined
  const loop = async (): Promise<void> => {
    while (!stopping) {
      pending = false
      const n = room()
      const rows =
        n > 0
          ? await backend.claim(queue, n, leaseMs).catch((err: unknown) => {
              logger?.error({ err, queue }, "jobs: claim failed")
              return []
            })
          : []
      for (const row of rows) accept(row)
      // Any row means more may be due (a claim takes one priority at a time): claim
      // again at once while there is room; an empty claim or a full worker naps.
      if (rows.length === 0 || room() === 0) await nap(o.pollMs ?? 1000)
    }
  }
  const looping = consumer === undefined ? loop() : Promise.resolve()
  let stopped: Promise<void> | undefined
  let resolveStopped: () => void = () => {}
  const stoppedPromise = new Promise<void>((r) => {
    resolveStopped = r
  })
  const stop = async (timeoutMs: number): Promise<void> => {
    stopping = true
    stopSchedules?.()
    clearInterval(renew)
    wake?.()
    const closing = consumer?.close().catch((err: unknown) => {
      logger?.error({ err, queue }, "jobs: closing the consumer failed")
    })
    await looping
    for (const row of held.splice(0)) await backend.release(row.id)
    await (await subscribed)?.()
    const end = Date.now() + timeoutMs
    const drained = (): Promise<unknown> => Promise.all([...running.values()].map((r) => r.done))
    // Chained jobs may replace finished ones until the last in-flight claim settles.
    while (running.size > 0 && Date.now() < end)
      await Promise.race([drained(), new Promise((r) => setTimeout(r, end - Date.now()).unref())])
    for (const [id, r] of running) {
      r.abort.abort(SHUTDOWN)
      await backend.release(id)
      logger?.warn({ jobId: id }, "job released on shutdown")
    }
    await drained()
    await closing
    await Promise.all([...writes])
    resolveStopped()
  }
  return {
    stop(timeoutMs = o.shutdownMs ?? 10_000) {
      stopped ??= stop(timeoutMs)
      return stopped
    },
    stopped: stoppedPromise,
    ready: Promise.all([subscribed, consumer?.ready]).then(() => {}),
    get running() {
      return running.size
    },
  }
}
