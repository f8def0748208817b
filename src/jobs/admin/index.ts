/**
 * The jobs page of `truss/admin`: `truss_jobs` (the database backend's table) as a
 * read-only model admin with counts per state, filters by state and queue, search by
 * name, a detail page with the payload and the stack, and "Retry" and "Delete" actions.
 * Imports `truss/admin` for types only: a worker that loads `truss/jobs` loads no admin.
 * @module
 */
import type { Admin, AdminAction, AdminSummaryItem, ModelAdminOptions } from "../../admin/index.js"
import type { Database } from "../../orm/index.js"
import { JOB_STATES } from "../backend.js"
import { jobStats } from "../backends/database/admin.js"
import { DatabaseBackend } from "../backends/database/index.js"
import { JobRecord } from "../backends/database/models.js"
import { firstLine, formatListTime, formatTime, prettyJson } from "./columns.js"

type JobModel = typeof JobRecord

/**
 * Options of `jobsAdmin()`.
 * @example
 * ```ts
 * import type { JobsAdminOptions } from "truss/jobs"
 * const options: JobsAdminOptions = { perPage: 100 }
 * ```
 */
export interface JobsAdminOptions {
  /** Rows per page. @default 50 */
  readonly perPage?: number
}

const retry: AdminAction<JobModel> = {
  name: "retry",
  label: "Retry selected jobs",
  permission: "change",
  async run({ db, ids }) {
    const backend = new DatabaseBackend(db)
    let queued = 0
    for (const id of ids) if (await backend.retry(String(id))) queued++
    const left = ids.length - queued
    const rest = left === 0 ? "" : ` ${left} not dead or cancelled, left as they were.`
    return `Queued ${queued} ${queued === 1 ? "job" : "jobs"} again.${rest}`
  },
}

/** Jobs per state (of the filtered queue, if any), each linking to the list of that state. */
async function countsPerState(db: Database, query: URLSearchParams): Promise<AdminSummaryItem[]> {
  const stats = await jobStats(db)
  const queue = query.get("queue")
  const queues =
    queue === null ? Object.values(stats) : [stats[queue]].filter((s) => s !== undefined)
  return JOB_STATES.map((state): AdminSummaryItem => {
    const filter: Record<string, string> = queue === null ? { state } : { queue, state }
    return { label: state, value: queues.reduce((n, s) => n + s[state], 0), filter }
  })
}

/** The model admin options of the jobs page. */
function jobsAdminOptions(options: JobsAdminOptions = {}): ModelAdminOptions<JobModel> {
  return {
    app: "jobs",
    label: "job",
    editable: false,
    list: [
      "name",
      "state",
      { label: "Attempts", value: (r) => `${r.attempts} / ${r.maxAttempts}`, sortBy: "attempts" },
      { label: "Run at (UTC)", value: (r) => formatListTime(r.runAt), sortBy: "runAt" },
      { label: "Error", value: (r) => firstLine(r.error) },
    ],
    search: ["name"],
    filters: [{ field: "state", choices: [...JOB_STATES] }, { field: "queue" }],
    ordering: ["-createdAt"],
    perPage: options.perPage ?? 50,
    fieldsets: [
      {
        title: "Job",
        fields: ["name", "queue", "state", "priority", "attempts", "maxAttempts", "runAt"],
      },
      { title: "Times", fields: ["createdAt", "finishedAt", "lockedUntil"] },
      { title: "Payload", fields: ["payload"] },
      { title: "Error", fields: ["error", "stack"] },
      { title: "Keys", fields: ["idemKey", "uniqueKey"] },
    ],
    formats: {
      payload: (r) => ({ code: prettyJson(r.payload) }),
      stack: (r) => ({ code: r.stack ?? "—" }),
      runAt: (r) => formatTime(r.runAt),
      createdAt: (r) => formatTime(r.createdAt),
      finishedAt: (r) => formatTime(r.finishedAt),
      lockedUntil: (r) => formatTime(r.lockedUntil),
    },
    actions: [retry],
    summary: ({ db, query }) => countsPerState(db, query),
    display: (r) => `${r.name} ${r.id.slice(0, 8)}`,
  }
}

/**
 * Registers the jobs page (`<prefix>/jobs/job/`) on `admin`. It reads the database
 * backend's `truss_jobs` table, so add `jobsModels` to the app's models; staff need the
 * model's permissions (`app.view_trussjob`, `app.change_trussjob` to retry,
 * `app.delete_trussjob` to delete), as for other models.
 * @example
 * ```ts
 * import { createAdmin } from "truss/admin"
 * import { jobsAdmin } from "truss/jobs"
 * const admin = jobsAdmin(createAdmin())
 * ```
 */
export function jobsAdmin<A extends Admin>(admin: A, options: JobsAdminOptions = {}): A {
  admin.register(JobRecord, jobsAdminOptions(options))
  return admin
}
