import type { BullmqBackend, BullmqBackendOptions } from "./index.js"

/**
 * Creates the BullMQ backend, loading `bullmq` only now, so apps on the database
 * backend never load it.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import { bullmqBackend, useJobs } from "truss/jobs"
 * useJobs(await bullmqBackend({ connection: new Redis({ maxRetriesPerRequest: null }) }))
 * ```
 */
export async function bullmqBackend(options: BullmqBackendOptions): Promise<BullmqBackend> {
  const { BullmqBackend } = await import("./index.js")
  return new BullmqBackend(options)
}
