import type { JobSink } from "./define.js"

/**
 * A job as the worker and the CLI see it.
 *
 * @example
 * ```ts
 * import type { JobRow } from "truss/jobs"
 * const dead = (r: JobRow) => r.state === "dead"
 * ```
 */
export interface JobRow {
  readonly id: string
  readonly name: string
  readonly queue: string
  readonly payload: string
  readonly state: JobState
  readonly attempts: number
  readonly maxAttempts: number
  readonly runAt: number
  readonly error: string | null
}

/**
 * The states of a job.
 *
 * @example
 * ```ts
 * import type { JobState } from "truss/jobs"
 * const failed: JobState = "dead"
 * ```
 */
export type JobState = "queued" | "running" | "done" | "dead" | "cancelled"

/**
 * Every state, in lifecycle order.
 * @example
 * ```ts
 * import { JOB_STATES } from "truss/jobs"
 * JOB_STATES.includes("dead") // true
 * ```
 */
export const JOB_STATES: readonly JobState[] = ["queued", "running", "done", "dead", "cancelled"]

/**
 * Counts of jobs per state, per queue.
 *
 * @example
 * ```ts
 * import type { JobStats } from "truss/jobs"
 * const queued = (s: JobStats) => s.default?.queued ?? 0
 * ```
 */
export type JobStats = Record<string, Record<JobState, number>>

/**
 * What a worker and the CLI need from a place jobs live in: the database backend
 * implements it on a SQL table.
 *
 * @example
 * ```ts
 * import type { JobBackend } from "truss/jobs"
 * const deadCount = async (b: JobBackend) => (await b.list("dead")).length
 * ```
 */
export interface JobBackend extends JobSink {
  /** Claims up to `limit` due jobs of a queue, leased for `leaseMs`. */
  claim(queue: string, limit: number, leaseMs: number): Promise<JobRow[]>
  /** Extends a lease; false when the job is no longer ours (cancelled or reclaimed). */
  heartbeat(id: string, leaseMs: number): Promise<boolean>
  /** Ends an attempt: done, dead (with the error), or queued again at `runAt`. */
  finish(
    id: string,
    state: "done" | "dead" | "queued",
    f?: { error?: Error; runAt?: number },
  ): Promise<void>
  /**
   * Marks jobs done and claims up to `limit` due jobs of `queue`, in one round trip
   * where the store allows it, so a busy worker pays one call per batch of jobs.
   */
  completeAndClaim?(
    ids: readonly string[],
    queue: string,
    limit: number,
    leaseMs: number,
  ): Promise<JobRow[]>
  /** Puts a running job back without counting the attempt (graceful shutdown). */
  release(id: string): Promise<void>
  cancel(id: string): Promise<boolean>
  get(id: string): Promise<JobRow | undefined>
  list(state?: JobState, limit?: number): Promise<JobRow[]>
  /** Queues a dead or cancelled job again with fresh attempts. */
  retry(id: string): Promise<boolean>
  /** Deletes jobs in `state` that ended before `before` (epoch ms); returns how many. */
  purge(state: JobState, before?: number): Promise<number>
  stats(): Promise<JobStats>
  /** The last tick (epoch ms) a schedule enqueued, if it ever did. */
  lastTick(schedule: string): Promise<number | undefined>
  /** Records a tick; a later tick never goes back to an earlier one. */
  markTick(schedule: string, tick: number): Promise<void>
  /** Calls `wake` when a job may have become ready (PostgreSQL NOTIFY); returns the unsubscribe. */
  subscribe?(wake: (queue: string) => void): Promise<() => Promise<void>>
}
