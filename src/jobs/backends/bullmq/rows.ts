import { createHash } from "node:crypto"
import type { Job as BullJob, JobsOptions } from "bullmq"
import type { JobRow, JobState } from "../../backend.js"
import type { NewJob } from "../../define.js"

/** What a Truss job keeps in a BullMQ job's data. */
export interface BullData {
  readonly payload: string
  readonly maxAttempts: number
  /** Attempts given back by a graceful shutdown (BullMQ counts every start). */
  readonly released?: number
  readonly cancelled?: boolean
}

// BullMQ job ids may not contain ":", so keys are hashed into a safe alphabet.
function hashed(text: string): string {
  return createHash("sha256").update(text).digest("base64url")
}

/** The `add` options of a Truss job: BullMQ never retries by itself, Truss does. */
export function addOptions(j: NewJob, now: number, prioritized: boolean): JobsOptions {
  return {
    ...(j.key !== null ? { jobId: `k${hashed(`${j.name}\n${j.key}`)}` } : {}),
    ...(j.unique !== null ? { deduplication: { id: hashed(j.unique) } } : {}),
    // BullMQ runs priority 1 first, and unprioritized jobs before all prioritized ones,
    // so on a queue with priorities every job gets one: Truss's 0 is BullMQ's 1 000 000,
    // higher Truss values lower. A queue whose jobs all have priority 0 needs no order
    // but FIFO, BullMQ's cheaper plain wait list (one INCR and one ZADD less per job).
    ...(prioritized ? { priority: Math.min(2_097_152, Math.max(1, 1_000_000 - j.priority)) } : {}),
    delay: Math.max(0, j.runAt - now),
    attempts: 1,
    removeOnComplete: false,
    removeOnFail: false,
  }
}

/** A BullMQ state in Truss's words. */
export function stateOf(bull: string, data: BullData): JobState {
  if (data.cancelled === true && bull !== "active") return "cancelled"
  if (bull === "active") return "running"
  if (bull === "completed") return "done"
  if (bull === "failed") return "dead"
  return "queued"
}

/** A BullMQ job as a Truss row. */
export function toRow(job: BullJob, bull: string): JobRow {
  const data = job.data as BullData
  return {
    id: String(job.id),
    name: job.name,
    queue: job.queueName,
    payload: data.payload,
    state: stateOf(bull, data),
    attempts: Math.max(0, job.attemptsStarted - (data.released ?? 0)),
    maxAttempts: data.maxAttempts,
    runAt: job.timestamp + (job.delay ?? 0),
    error: job.failedReason ? job.failedReason : null,
  }
}
