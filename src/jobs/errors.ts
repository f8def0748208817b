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
} as const
