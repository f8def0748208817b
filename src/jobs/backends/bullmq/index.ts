import { randomUUID } from "node:crypto"
import type { Job as BullJob, JobType } from "bullmq"
import { DelayedError, Job, Queue, QueueEvents, WaitingError, Worker } from "bullmq"
import type { Redis } from "ioredis"
import type { Executor } from "../../../orm/index.js"
import { JOB_STATES, type JobRow, type JobState, type JobStats } from "../../backend.js"
import { type NewJob, queueHasPriorities } from "../../define.js"
import { jobsErrors } from "../../errors.js"
import type { JobLogger } from "../../run.js"
import type { ConsumingBackend, JobConsumer } from "../../worker.js"
import { addOptions, type BullData, toRow } from "./rows.js"

/**
 * Options of the BullMQ backend.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import type { BullmqBackendOptions } from "truss/jobs"
 * const o: BullmqBackendOptions = { connection: new Redis({ maxRetriesPerRequest: null }), prefix: "app" }
 * ```
 */
export interface BullmqBackendOptions {
  /** An ioredis client; BullMQ duplicates it for its own connections. */
  readonly connection: Redis
  /** Key prefix of every queue. @default "truss" */
  readonly prefix?: string
  /** Queues that `stats()`, `list()` and wake-ups cover besides those used. @default ["default"] */
  readonly queues?: readonly string[]
}

const TYPES: Record<JobState, JobType[]> = {
  queued: ["waiting", "delayed", "prioritized"],
  running: ["active"],
  done: ["completed"],
  dead: ["failed"],
  cancelled: ["waiting", "delayed", "prioritized", "failed"],
}

// A lease that runs out puts the job back (attempt + 1) however often it happens;
// Truss's maxAttempts decides when it is dead.
const STALLED = (leaseMs: number) => ({
  maxStalledCount: 1_000_000,
  stalledInterval: Math.max(1000, Math.floor(leaseMs / 2)),
})

const MAX_TICK =
  "local v = redis.call('HGET', KEYS[1], ARGV[1]) if (not v) or tonumber(v) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 1"

/** How the worker settled a job that BullMQ's Worker handed it. */
type Outcome =
  | { readonly state: "done" | "released" }
  | { readonly state: "dead"; readonly error: Error }
  | { readonly state: "queued"; readonly runAt: number }

interface Held {
  readonly job: BullJob
  readonly token: string
  /** Set when BullMQ's Worker fetched the job: its processor waits for the outcome. */
  readonly settle?: (o: Outcome) => void
}

/**
 * Jobs on Redis through BullMQ, behind the same `JobBackend` as the database: a Truss
 * worker runs BullMQ's own `Worker` (`consume()`), which completes each job with the call
 * that locks the next, and runs every job it hands over, so timeouts, retries with
 * jitter, leases, dead letters, logs and graceful shutdown behave the same.
 * Transactional enqueue is the database backend's alone.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import { bullmqBackend, startWorker, useJobs } from "truss/jobs"
 * const backend = useJobs(await bullmqBackend({ connection: new Redis({ maxRetriesPerRequest: null }) }))
 * const worker = startWorker({ backend, concurrency: 10 })
 * ```
 */
export class BullmqBackend implements ConsumingBackend {
  readonly #o: BullmqBackendOptions
  readonly #prefix: string
  readonly #queues = new Map<string, Queue>()
  readonly #workers = new Map<string, Worker>()
  readonly #held = new Map<string, Held>()
  /** BullMQ's workers need `maxRetriesPerRequest: null`; the app's client may differ. */
  readonly #conn: Redis

  constructor(options: BullmqBackendOptions) {
    this.#o = options
    this.#conn = options.connection.duplicate({ maxRetriesPerRequest: null })
    this.#prefix = options.prefix ?? "truss"
    for (const q of options.queues ?? ["default"]) this.#queue(q)
  }

  #queue(name: string): Queue {
    let q = this.#queues.get(name)
    if (q === undefined) {
      q = new Queue(name, { connection: this.#conn, prefix: this.#prefix })
      this.#queues.set(name, q)
    }
    return q
  }

  #worker(queue: string, leaseMs: number): Worker {
    let w = this.#workers.get(queue)
    if (w === undefined) {
      w = new Worker(queue, null, {
        connection: this.#conn,
        prefix: this.#prefix,
        autorun: false,
        lockDuration: leaseMs,
        skipLockRenewal: true,
        ...STALLED(leaseMs),
      })
      void w.startStalledCheckTimer().catch(() => {})
      this.#workers.set(queue, w)
    }
    return w
  }

  /**
   * Runs BullMQ's own `Worker` for a Truss worker: it locks `concurrency` jobs for
   * `leaseMs` (renewing the locks itself) and completes each one with the call that
   * locks the next. `run` gets every job; the processor waits for the worker's
   * `finish()` or `release()` of it and ends the BullMQ job to match.
   */
  consume(
    queue: string,
    o: { concurrency: number; leaseMs: number; logger?: JobLogger; run: (row: JobRow) => void },
  ): JobConsumer {
    this.#queue(queue)
    const worker = new Worker(queue, (job, token) => this.#process(job, token ?? "", o.run), {
      connection: this.#conn,
      prefix: this.#prefix,
      concurrency: o.concurrency,
      lockDuration: o.leaseMs,
      ...STALLED(o.leaseMs),
    })
    worker.on("error", (err) => o.logger?.error({ err, queue }, "jobs: BullMQ worker error"))
    return { ready: worker.waitUntilReady().then(() => {}), close: () => worker.close() }
  }

  async #process(job: BullJob, token: string, run: (row: JobRow) => void): Promise<void> {
    const id = String(job.id)
    // A cancelled job is failed when met (its data keeps the flag, so it reads "cancelled").
    if ((job.data as BullData).cancelled === true) throw new Error("cancelled")
    const outcome = new Promise<Outcome>((settle) => {
      this.#held.set(id, { job, token, settle })
    })
    run(toRow(job, "active"))
    const o = await outcome
    if (o.state === "done") return
    if (o.state === "dead") throw o.error
    // Moved by hand with the job's token; the errors tell BullMQ it has been moved.
    if (o.state === "queued") {
      await job.moveToDelayed(o.runAt, token)
      throw new DelayedError()
    }
    await this.#giveBack(job, token)
    throw new WaitingError()
  }

  /** Back to waiting without counting the attempt (BullMQ counts every start). */
  async #giveBack(job: BullJob, token: string): Promise<void> {
    const data = job.data as BullData
    await job.updateData({ ...data, released: (data.released ?? 0) + 1 })
    await job.moveToWait(token)
  }

  async insert(jobs: readonly NewJob[], via?: Executor): Promise<string[]> {
    if (via !== undefined) throw jobsErrors.TRANSACTION_UNSUPPORTED({ backend: "BullMQ" })
    const now = Date.now()
    const byQueue = new Map<string, number[]>()
    jobs.forEach((j, i) => {
      const indexes = byQueue.get(j.queue)
      if (indexes === undefined) byQueue.set(j.queue, [i])
      else indexes.push(i)
    })
    const ids: string[] = new Array(jobs.length)
    for (const [queue, indexes] of byQueue) {
      const prioritized =
        queueHasPriorities(queue) || indexes.some((i) => (jobs[i] as NewJob).priority !== 0)
      // addBulk is one MULTI per call; 1000 jobs a call keeps each reply small.
      for (let k = 0; k < indexes.length; k += 1000) {
        const part = indexes.slice(k, k + 1000)
        const added = await this.#queue(queue).addBulk(
          part.map((i) => {
            const j = jobs[i] as NewJob
            const data: BullData = { payload: j.payload, maxAttempts: j.maxAttempts }
            return { name: j.name, data, opts: addOptions(j, now, prioritized) }
          }),
        )
        part.forEach((i, n) => {
          ids[i] = String(added[n]?.id)
        })
      }
    }
    return ids
  }

  async claim(queue: string, limit: number, leaseMs: number): Promise<JobRow[]> {
    const w = this.#worker(queue, leaseMs)
    const rows: JobRow[] = []
    while (rows.length < limit) {
      const token = randomUUID()
      const job = (await w.getNextJob(token, { block: false })) as BullJob | undefined
      if (job === undefined || job === null) break
      if ((job.data as BullData).cancelled === true) {
        await job.moveToFailed(new Error("cancelled"), token, false)
        continue
      }
      this.#held.set(String(job.id), { job, token })
      rows.push(toRow(job, "active"))
    }
    return rows
  }

  async heartbeat(id: string, leaseMs: number): Promise<boolean> {
    const held = this.#held.get(id)
    if (held === undefined) return false
    const fresh = await this.#queue(held.job.queueName).getJob(id)
    if (fresh === undefined || (fresh.data as BullData).cancelled === true) return false
    // BullMQ's Worker renews the locks of the jobs it fetched.
    if (held.settle !== undefined) return true
    return (await held.job.extendLock(held.token, leaseMs)) === 1
  }

  async finish(
    id: string,
    state: "done" | "dead" | "queued",
    f: { error?: Error; runAt?: number } = {},
  ): Promise<void> {
    const held = this.#held.get(id)
    if (held === undefined) return
    this.#held.delete(id)
    const { job, token, settle } = held
    if (settle !== undefined)
      return settle(
        state === "dead"
          ? { state, error: f.error ?? new Error("failed") }
          : state === "queued"
            ? { state, runAt: f.runAt ?? Date.now() }
            : { state },
      )
    if (state === "done") await job.moveToCompleted(null, token, false)
    else if (state === "dead") await job.moveToFailed(f.error ?? new Error("failed"), token, false)
    else await job.moveToDelayed(f.runAt ?? Date.now(), token)
  }

  /** BullMQ's moveToCompleted with fetchNext: each job done and the next one locked, in one call. */
  async completeAndClaim(
    ids: readonly string[],
    queue: string,
    limit: number,
    leaseMs: number,
  ): Promise<JobRow[]> {
    const w = this.#worker(queue, leaseMs)
    const next = await Promise.all(
      ids.map(async (id, i) => {
        const held = this.#held.get(id)
        if (held === undefined) return undefined
        this.#held.delete(id)
        const got = await held.job.moveToCompleted(null, held.token, i < limit)
        const [raw, nextId] = Array.isArray(got) ? got : []
        if (!raw) return undefined
        const job = Job.fromJSON(w as never, raw, String(nextId)) as BullJob
        if ((job.data as BullData).cancelled === true) {
          await job.moveToFailed(new Error("cancelled"), held.token, false)
          return undefined
        }
        this.#held.set(String(job.id), { job, token: held.token })
        return toRow(job, "active")
      }),
    )
    return next.filter((r): r is JobRow => r !== undefined)
  }

  async release(id: string): Promise<void> {
    const held = this.#held.get(id)
    if (held === undefined) return
    this.#held.delete(id)
    if (held.settle !== undefined) return held.settle({ state: "released" })
    await this.#giveBack(held.job, held.token)
  }

  async #find(id: string): Promise<BullJob | undefined> {
    for (const q of this.#queues.values()) {
      const job = await q.getJob(id)
      if (job !== undefined) return job
    }
    return undefined
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.#find(id)
    if (job === undefined) return false
    const bull = await job.getState()
    if (bull === "completed" || bull === "failed" || (job.data as BullData).cancelled) return false
    await job.updateData({ ...(job.data as BullData), cancelled: true })
    return true
  }

  async get(id: string): Promise<JobRow | undefined> {
    const job = await this.#find(id)
    return job === undefined ? undefined : toRow(job, await job.getState())
  }

  async list(state?: JobState, limit = 1000): Promise<JobRow[]> {
    const rows: JobRow[] = []
    for (const s of state === undefined ? JOB_STATES : [state]) {
      for (const q of this.#queues.values()) {
        for (const type of TYPES[s]) {
          for (const job of await q.getJobs(type, 0, limit - 1, true)) {
            const row = toRow(job, type === "waiting" ? "wait" : type)
            if (row.state === s && !rows.some((r) => r.id === row.id)) rows.push(row)
          }
        }
      }
    }
    return rows.slice(0, limit)
  }

  async retry(id: string): Promise<boolean> {
    const job = await this.#find(id)
    if (job === undefined || (await job.getState()) !== "failed") return false
    await job.updateData({ ...(job.data as BullData), cancelled: false, released: 0 })
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true })
    return true
  }

  async purge(state: JobState, before?: number): Promise<number> {
    let n = 0
    for (const row of await this.list(state, 100_000)) {
      const job = await this.#find(row.id)
      const ended = job?.finishedOn ?? job?.timestamp ?? 0
      if (job !== undefined && (before === undefined || ended < before)) {
        await job.remove()
        n++
      }
    }
    return n
  }

  async stats(): Promise<JobStats> {
    const stats: JobStats = {}
    for (const [name, q] of this.#queues) {
      const c = await q.getJobCounts(
        "waiting",
        "delayed",
        "prioritized",
        "active",
        "completed",
        "failed",
      )
      stats[name] = {
        queued: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
        running: c.active ?? 0,
        done: c.completed ?? 0,
        dead: c.failed ?? 0,
        // Cancelled jobs are counted where BullMQ keeps them (queued, then dead).
        cancelled: 0,
      }
    }
    return stats
  }

  async lastTick(schedule: string): Promise<number | undefined> {
    const v = await this.#o.connection.hget(`${this.#prefix}:truss:ticks`, schedule)
    return v === null ? undefined : Number(v)
  }

  async markTick(schedule: string, tick: number): Promise<void> {
    await this.#o.connection.eval(MAX_TICK, 1, `${this.#prefix}:truss:ticks`, schedule, tick)
  }

  /** Wakes on BullMQ's "waiting" events (a blocking XREAD of each queue's event stream). */
  async subscribe(wake: (queue: string) => void): Promise<() => Promise<void>> {
    const events = [...this.#queues.keys()].map((name) => {
      const e = new QueueEvents(name, { connection: this.#conn, prefix: this.#prefix })
      e.on("waiting", () => wake(name))
      return e
    })
    await Promise.all(events.map((e) => e.waitUntilReady()))
    return async () => {
      await Promise.all(events.map((e) => e.close()))
    }
  }

  /** Closes BullMQ's queues and fetchers (not the ioredis client you passed). */
  async close(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((w) => w.close()))
    await Promise.all([...this.#queues.values()].map((q) => q.close()))
    await this.#conn.quit()
  }
}
