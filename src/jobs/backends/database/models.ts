/**
 * The tables of the database backend as ORM models, so `truss makemigrations` writes
 * them into the app's migrations like any other model (add `jobsModels` to the models
 * of `truss.config.ts`).
 * @module
 */
import { field, model } from "../../../orm/index.js"

/**
 * One job (`truss_jobs`). Times are epoch milliseconds; `uniqueKey` is set while a
 * `unique` job is queued or running and cleared when it ends.
 *
 * @example
 * ```ts
 * import { JobRecord } from "truss/jobs"
 * JobRecord.meta.table // "truss_jobs"
 * ```
 */
export const JobRecord = model(
  "trussJob",
  {
    name: field.string({ max: 191 }),
    queue: field.string({ max: 191 }),
    payload: field.text(),
    state: field.string({ max: 16 }),
    priority: field.integer(),
    attempts: field.integer(),
    maxAttempts: field.integer(),
    runAt: field.bigint(),
    lockedUntil: field.bigint({ null: true }),
    idemKey: field.string({ max: 191, null: true }),
    uniqueKey: field.string({ max: 191, null: true, unique: true }),
    error: field.text({ null: true }),
    stack: field.text({ null: true }),
    createdAt: field.bigint(),
    finishedAt: field.bigint({ null: true }),
  },
  {
    table: "truss_jobs",
    primaryKey: "uuid",
    indexes: [
      { fields: ["queue", "state", "priority", "runAt"], name: "truss_jobs_claim" },
      // The admin's jobs page lists newest first: a page is an index walk, not a sort.
      { fields: ["createdAt"], name: "truss_jobs_created" },
    ],
    constraints: [{ type: "unique", name: "truss_jobs_idem", fields: ["name", "idemKey"] }],
  },
)

/**
 * The last tick each schedule enqueued (`truss_job_schedules`), for the missed-tick policy.
 *
 * @example
 * ```ts
 * import { ScheduleRecord } from "truss/jobs"
 * ScheduleRecord.meta.table // "truss_job_schedules"
 * ```
 */
export const ScheduleRecord = model(
  "trussJobSchedule",
  { name: field.string({ max: 191, unique: true }), lastTick: field.bigint() },
  { table: "truss_job_schedules" },
)

/**
 * Every model of the database backend: add them to `models` in `truss.config.ts`, then
 * `truss makemigrations && truss migrate`.
 *
 * @example
 * ```ts
 * import { defineConfig } from "truss/orm"
 * import { jobsModels } from "truss/jobs"
 * export default defineConfig({ database: "sqlite:./app.db", models: [...jobsModels] })
 * ```
 */
export const jobsModels = [JobRecord, ScheduleRecord] as const
