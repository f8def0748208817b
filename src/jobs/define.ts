import { createHash } from "node:crypto"
import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { Executor } from "../orm/index.js"
import { jobsErrors } from "./errors.js"
import { state } from "./state.js"

/**
 * What a handler receives besides the payload.
 *
 * @example
 * ```ts
 * import type { JobContext } from "truss/jobs"
 * const handler = async (_: unknown, ctx: JobContext) => fetch("https://example.com", { signal: ctx.signal })
 * ```
 */
export interface JobContext {
  readonly id: string
  readonly attempt: number
  /** Aborted on timeout, cancellation or shutdown: pass it to fetch() and friends. */
  readonly signal: AbortSignal
}

/**
 * How a job is defined.
 *
 * @example
 * ```ts
 * import type { JobOptions } from "truss/jobs"
 * type Opts = JobOptions<{ id: number }>["retries"]
 * ```
 */
export interface JobOptions<T> {
  readonly schema: StandardSchemaV1<unknown, T>
  readonly handler: (data: T, ctx: JobContext) => unknown
  /** Retries after the first attempt (default 3). */
  readonly retries?: number
  /** Base delay of the exponential backoff in ms (default 1000); full jitter is applied. */
  readonly backoff?: number
  /** Per-attempt timeout in ms (default 60 000). */
  readonly timeout?: number
  readonly priority?: number
  readonly queue?: string
  /**
   * At most one such job queued or running at a time: `true` keys it on the payload,
   * a function on what it returns. An enqueue while one exists is a no-op that returns
   * the existing job's id; once that job ends, the next enqueue stores a new one.
   */
  readonly unique?: boolean | ((data: T) => string)
}

/**
 * Options of one enqueue.
 *
 * @example
 * ```ts
 * import type { EnqueueOptions } from "truss/jobs"
 * const later: EnqueueOptions = { delay: 60_000, idempotencyKey: "welcome:42" }
 * ```
 */
export interface EnqueueOptions {
  readonly delay?: number
  readonly runAt?: Date
  /** A second enqueue with the same key (per job name) is a no-op. */
  readonly idempotencyKey?: string
  /** Enqueue through this executor, e.g. a transaction: the job exists only if it commits. */
  readonly db?: Executor
}

/** A row to insert, after validation. */
export interface NewJob {
  readonly name: string
  readonly queue: string
  readonly payload: string
  readonly priority: number
  readonly maxAttempts: number
  readonly runAt: number
  readonly key: string | null
  readonly unique: string | null
}

/** Where enqueued jobs go (a backend). */
export interface JobSink {
  insert(jobs: readonly NewJob[], via?: Executor): Promise<string[]>
}

/**
 * A defined job.
 *
 * @example
 * ```ts
 * import type { Job } from "truss/jobs"
 * const send = (job: Job<{ id: number }>) => job.enqueue({ id: 1 })
 * ```
 */
export interface Job<T> {
  readonly name: string
  readonly options: JobOptions<T>
  enqueue(data: T, options?: EnqueueOptions): Promise<string>
  enqueueMany(items: readonly T[], options?: EnqueueOptions): Promise<string[]>
}

/** @internal Validates and builds a row without inserting it (schedules insert it themselves). */
export function newJob<T>(job: Job<T>, data: T, o: EnqueueOptions = {}): Promise<NewJob> {
  const build = state.builders.get(job)
  if (build === undefined) throw jobsErrors.NOT_CONFIGURED({ job: job.name })
  return build(data, o)
}

/** @internal The registry the worker resolves job names in. */
export function jobNamed(name: string): Job<unknown> | undefined {
  return state.jobs.get(name)
}

/**
 * @internal Whether any job defined in this process on `queue` has a priority other
 * than 0: a backend can then skip priority bookkeeping for the queues that need none.
 */
export function queueHasPriorities(queue: string): boolean {
  for (const job of state.jobs.values()) {
    if ((job.options.queue ?? "default") === queue && (job.options.priority ?? 0) !== 0) return true
  }
  return false
}

/** @internal Installed by `useJobs()`. */
export function setSink(next: JobSink | undefined): void {
  state.sink = next
}

async function validate<T>(
  name: string,
  schema: StandardSchemaV1<unknown, T>,
  data: unknown,
): Promise<T> {
  const result = await schema["~standard"].validate(data)
  if ("issues" in result && result.issues !== undefined) {
    const issues = result.issues.map((i) => i.message).join("; ")
    throw jobsErrors.INVALID_PAYLOAD({ job: name, issues })
  }
  return (result as { value: T }).value
}

function uniqueKey<T>(
  name: string,
  unique: JobOptions<T>["unique"],
  value: T,
  payload: string,
): string | null {
  if (unique === undefined || unique === false) return null
  const key = unique === true ? payload : unique(value)
  // Hashed so any payload fits the 191-character column (MySQL's utf8mb4 index limit).
  return `${name.slice(0, 100)}:${createHash("sha256").update(key).digest("base64url")}`
}

/**
 * Defines a job: its payload schema, handler and retry policy.
 *
 * @example
 * ```ts
 * import { defineJob } from "truss/jobs"
 * import { z } from "zod"
 * const welcome = defineJob("emails.welcome", {
 *   schema: z.object({ userId: z.number() }),
 *   handler: async ({ userId }) => { console.log(userId) },
 * })
 * ```
 */
export function defineJob<T>(name: string, options: JobOptions<T>): Job<T> {
  if (state.jobs.has(name)) throw jobsErrors.DUPLICATE_JOB({ job: name })
  const build = async (data: T, o: EnqueueOptions): Promise<NewJob> => {
    const value = await validate(name, options.schema, data)
    const payload = JSON.stringify(value)
    return {
      name,
      queue: options.queue ?? "default",
      payload,
      priority: options.priority ?? 0,
      maxAttempts: (options.retries ?? 3) + 1,
      runAt: o.runAt?.getTime() ?? Date.now() + (o.delay ?? 0),
      key: o.idempotencyKey ?? null,
      unique: uniqueKey(name, options.unique, value, payload),
    }
  }
  const target = (): JobSink => {
    if (state.sink === undefined) throw jobsErrors.NOT_CONFIGURED({ job: name })
    return state.sink
  }
  const job: Job<T> = {
    name,
    options,
    async enqueue(data, o = {}) {
      const ids = await target().insert([await build(data, o)], o.db)
      return ids[0] ?? ""
    },
    async enqueueMany(items, o = {}) {
      const rows = await Promise.all(items.map((d) => build(d, o)))
      return target().insert(rows, o.db)
    },
  }
  state.jobs.set(name, job as unknown as Job<unknown>)
  state.builders.set(job, build as (data: unknown, o: EnqueueOptions) => Promise<NewJob>)
  return job
}
