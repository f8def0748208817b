/**
 * `truss/jobs`: durable background jobs on the app's database, at-least-once.
 * @module
 */

export { type JobsAdminOptions, jobsAdmin } from "./admin/index.js"
export {
  JOB_STATES,
  type JobBackend,
  type JobRow,
  type JobState,
  type JobStats,
} from "./backend.js"
export type { BullmqBackend, BullmqBackendOptions } from "./backends/bullmq/index.js"
export { bullmqBackend } from "./backends/bullmq/load.js"
export { DatabaseBackend, type DatabaseBackendOptions } from "./backends/database/index.js"
export { JobRecord, jobsModels, ScheduleRecord } from "./backends/database/models.js"
export { useJobs } from "./current.js"
export {
  defineJob,
  type EnqueueOptions,
  type Job,
  type JobContext,
  type JobOptions,
} from "./define.js"
export { jobsErrors } from "./errors.js"
export { backoffDelay, type JobLogger } from "./run.js"
export {
  defineSchedule,
  type MissedTicks,
  type Schedule,
  type ScheduleOptions,
} from "./schedules/index.js"
export { startWorker, type Worker, type WorkerOptions } from "./worker.js"
