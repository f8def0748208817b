/**
 * `truss/jobs`: durable background jobs on the app's database, at-least-once.
 * @module
 */
import type { Database } from "../orm/index.js"
import { DatabaseBackend } from "./backends/database/index.js"
import { setSink } from "./define.js"

export { DatabaseBackend, type JobRow } from "./backends/database/index.js"
export {
  defineJob,
  type EnqueueOptions,
  type Job,
  type JobContext,
  type JobOptions,
} from "./define.js"
export { jobsErrors } from "./errors.js"
export {
  backoffDelay,
  type JobLogger,
  startWorker,
  type Worker,
  type WorkerOptions,
} from "./worker.js"

/**
 * Creates the `truss_jobs` table if needed and makes `enqueue()` write to this database.
 *
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { useJobs } from "truss/jobs"
 * const backend = await useJobs(await connect("sqlite::memory:"))
 * ```
 */
export async function useJobs(db: Database): Promise<DatabaseBackend> {
  const backend = new DatabaseBackend(db)
  await backend.install()
  setSink(backend)
  return backend
}
