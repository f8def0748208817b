/**
 * The error catalogue of `truss/jobs`. Every code is listed in `docs/errors.md`.
 * @module
 */
import { defineError } from "../kit.js"

/**
 * The coded errors of `truss/jobs`.
 *
 * @example
 * ```ts
 * import { jobsErrors } from "truss/jobs"
 * const code = jobsErrors.TIMEOUT({ job: "x", ms: 10 }).code // "TRUSS_ERR_JOBS_TIMEOUT"
 * ```
 */
export const jobsErrors = {
  INVALID_PAYLOAD: defineError(
    "TRUSS_ERR_JOBS_INVALID_PAYLOAD",
    (p: { job: string; issues: string }) =>
      `The payload of job "${p.job}" is invalid (${p.issues}); it was not stored. Pass data that matches the job's schema.`,
    400,
  ),
  UNKNOWN_JOB: defineError(
    "TRUSS_ERR_JOBS_UNKNOWN_JOB",
    (p: { job: string }) =>
      `No job named "${p.job}" is defined in this worker; the row was dead-lettered. Import the module that calls defineJob("${p.job}") in the worker, then retry it.`,
  ),
  TIMEOUT: defineError(
    "TRUSS_ERR_JOBS_TIMEOUT",
    (p: { job: string; ms: number }) =>
      `Job "${p.job}" ran longer than its timeout of ${p.ms} ms. Make the handler faster, or raise { timeout } in defineJob.`,
  ),
  DUPLICATE_JOB: defineError(
    "TRUSS_ERR_JOBS_DUPLICATE_JOB",
    (p: { job: string }) =>
      `A job named "${p.job}" is already defined. Give each defineJob() a unique name.`,
  ),
  NOT_CONFIGURED: defineError(
    "TRUSS_ERR_JOBS_NOT_CONFIGURED",
    (p: { job: string }) =>
      `Job "${p.job}" was enqueued (or a worker started) before a backend was set. Call useJobs(db) (or useJobs(backend)) at startup first.`,
  ),
  INVALID_SCHEDULE: defineError(
    "TRUSS_ERR_JOBS_INVALID_SCHEDULE",
    (p: { schedule: string; reason: string }) =>
      `The schedule "${p.schedule}" is invalid: ${p.reason}. Pass a 5- or 6-field cron pattern such as "0 3 * * *", or { every: ms } with ms >= 1000.`,
  ),
  DUPLICATE_SCHEDULE: defineError(
    "TRUSS_ERR_JOBS_DUPLICATE_SCHEDULE",
    (p: { name: string }) =>
      `A schedule named "${p.name}" is already defined. Pass a distinct { name } to defineSchedule().`,
  ),
  JOB_NOT_FOUND: defineError(
    "TRUSS_ERR_JOBS_JOB_NOT_FOUND",
    (p: { id: string; state: string }) =>
      `No ${p.state} job has id "${p.id}". List them with \`truss jobs list --state ${p.state}\`.`,
    404,
  ),
  TRANSACTION_UNSUPPORTED: defineError(
    "TRUSS_ERR_JOBS_TRANSACTION_UNSUPPORTED",
    (p: { backend: string }) =>
      `The ${p.backend} backend cannot enqueue inside a database transaction. Enqueue after the commit, or use the database backend for transactional (outbox) enqueue.`,
  ),
} as const
