import type { Database, Executor } from "../../../orm/index.js"
import type { JobBackend, JobRow, JobState, JobStats } from "../../backend.js"
import type { NewJob } from "../../define.js"
import { jobStats, purgeJobs, retryJob } from "./admin.js"
import { insertJobs } from "./insert.js"
import { listen } from "./listen.js"
import { toRow } from "./rows.js"
import {
  claim,
  completeAndClaimPostgres,
  completeJobs,
  placeholders,
  requeueExpired,
} from "./sql.js"
import { lastTick, markTick } from "./ticks.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Options of the database backend.
 *
 * @example
 * ```ts
 * import type { DatabaseBackendOptions } from "truss/jobs"
 * const o: DatabaseBackendOptions = { listenUrl: "postgres://app:secret@db/app" }
 * ```
 */
export interface DatabaseBackendOptions {
  /**
   * The URL the PostgreSQL LISTEN connection opens. `db.url` has its password
   * removed, so pass the full URL when the server asks for one. @default db.url
   */
  readonly listenUrl?: string
}

/**
 * The database backend: jobs in the `truss_jobs` table of the app's database (created
 * by the app's migrations from `jobsModels`).
 *
 * @example
 * ```ts
 * import { connect, createTables } from "truss/orm"
 * import { DatabaseBackend, jobsModels } from "truss/jobs"
 * const db = await connect("sqlite::memory:")
 * await createTables(db, jobsModels)
 * const dead = await new DatabaseBackend(db).list("dead")
 * ```
 */
export class DatabaseBackend implements JobBackend {
  readonly db: Database
  readonly #p: (i: number) => string
  readonly #listenUrl: string
  #nextExpiryCheck = 0

  constructor(db: Database, options: DatabaseBackendOptions = {}) {
    this.db = db
    this.#p = placeholders(db.dialect.name)
    this.#listenUrl = options.listenUrl ?? db.url
  }

  insert(jobs: readonly NewJob[], via?: Executor): Promise<string[]> {
    return insertJobs(via ?? this.db, jobs)
  }

  async claim(queue: string, limit: number, leaseMs: number): Promise<JobRow[]> {
    // Expired leases are looked for at most every 500 ms, not on every claim.
    if (Date.now() >= this.#nextExpiryCheck) {
      this.#nextExpiryCheck = Date.now() + 500
      await requeueExpired(this.db)
    }
    return (await claim(this.db, queue, limit, leaseMs)).map(toRow)
  }

  async heartbeat(id: string, leaseMs: number): Promise<boolean> {
    const p = this.#p
    const r = await this.db.run(
      `UPDATE truss_jobs SET locked_until = ${p(1)} WHERE id = ${p(2)} AND state = 'running'`,
      [Date.now() + leaseMs, id],
    )
    return Number(r.numAffectedRows ?? 0) > 0
  }

  async finish(
    id: string,
    state: "done" | "dead" | "queued",
    f: { error?: Error; runAt?: number } = {},
  ): Promise<void> {
    const p = this.#p
    const ended = state === "queued" ? null : Date.now()
    // An ended job frees its unique key, so the same unique job can be enqueued again.
    const unique = state === "queued" ? "unique_key" : "NULL"
    await this.db.run(
      `UPDATE truss_jobs SET state = ${p(1)}, locked_until = NULL, error = ${p(2)}, stack = ${p(3)}, run_at = COALESCE(${p(4)}, run_at), finished_at = ${p(5)}, unique_key = ${unique} WHERE id = ${p(6)} AND state = 'running'`,
      [state, f.error?.message ?? null, f.error?.stack ?? null, f.runAt ?? null, ended, id],
    )
  }

  async completeAndClaim(
    ids: readonly string[],
    queue: string,
    limit: number,
    leaseMs: number,
  ): Promise<JobRow[]> {
    if (this.db.dialect.name === "postgres")
      return (await completeAndClaimPostgres(this.db, ids, queue, limit, leaseMs)).map(toRow)
    if (ids.length > 0) await completeJobs(this.db, ids)
    return limit > 0 ? this.claim(queue, limit, leaseMs) : []
  }

  async release(id: string): Promise<void> {
    const p = this.#p
    await this.db.run(
      `UPDATE truss_jobs SET state = 'queued', locked_until = NULL, attempts = attempts - 1 WHERE id = ${p(1)} AND state = 'running'`,
      [id],
    )
  }

  async cancel(id: string): Promise<boolean> {
    const p = this.#p
    const r = await this.db.run(
      `UPDATE truss_jobs SET state = 'cancelled', locked_until = NULL, unique_key = NULL, finished_at = ${p(1)} WHERE id = ${p(2)} AND state IN ('queued', 'running')`,
      [Date.now(), id],
    )
    return Number(r.numAffectedRows ?? 0) > 0
  }

  async get(id: string): Promise<JobRow | undefined> {
    // PostgreSQL's UUID column refuses to compare with text that is no UUID.
    if (!UUID.test(id)) return undefined
    const r = await this.db.run(`SELECT * FROM truss_jobs WHERE id = ${this.#p(1)}`, [id])
    return r.rows[0] === undefined ? undefined : toRow(r.rows[0])
  }

  async list(state?: JobState, limit = 1000): Promise<JobRow[]> {
    const p = this.#p
    const r =
      state === undefined
        ? await this.db.run(`SELECT * FROM truss_jobs ORDER BY created_at, id LIMIT ${p(1)}`, [
            limit,
          ])
        : await this.db.run(
            `SELECT * FROM truss_jobs WHERE state = ${p(1)} ORDER BY created_at, id LIMIT ${p(2)}`,
            [state, limit],
          )
    return r.rows.map(toRow)
  }

  retry(id: string): Promise<boolean> {
    return UUID.test(id) ? retryJob(this.db, id) : Promise.resolve(false)
  }

  purge(state: JobState, before?: number): Promise<number> {
    return purgeJobs(this.db, state, before)
  }

  stats(): Promise<JobStats> {
    return jobStats(this.db)
  }

  lastTick(schedule: string): Promise<number | undefined> {
    return lastTick(this.db, schedule)
  }

  markTick(schedule: string, tick: number): Promise<void> {
    return markTick(this.db, schedule, tick)
  }

  /** On PostgreSQL, LISTENs on a connection of its own; elsewhere workers poll. */
  subscribe(wake: (queue: string) => void): Promise<() => Promise<void>> {
    if (this.db.dialect.name !== "postgres") return Promise.resolve(async () => {})
    return listen(this.#listenUrl, wake)
  }
}
