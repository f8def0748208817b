import { randomUUID } from "node:crypto"
import type { Database, Executor } from "../../../orm/index.js"
import type { JobSink, NewJob } from "../../define.js"
import { claim, createTableSql, placeholders } from "./sql.js"

/**
 * A job row as the worker and the CLI see it.
 *
 * @example
 * ```ts
 * import type { JobRow } from "truss/jobs"
 * const dead = (r: JobRow) => r.state === "dead"
 * ```
 */
export interface JobRow {
  readonly id: string
  readonly name: string
  readonly queue: string
  readonly payload: string
  readonly state: string
  readonly attempts: number
  readonly maxAttempts: number
  readonly error: string | null
}

function toRow(r: Record<string, unknown>): JobRow {
  return {
    id: String(r.id),
    name: String(r.name),
    queue: String(r.queue),
    payload: String(r.payload),
    state: String(r.state),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    error: r.error == null ? null : String(r.error),
  }
}

/**
 * The database backend: jobs in the `truss_jobs` table of the app's database.
 *
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { DatabaseBackend } from "truss/jobs"
 * const backend = new DatabaseBackend(await connect("sqlite::memory:"))
 * await backend.install()
 * const dead = await backend.list("dead")
 * ```
 */
export class DatabaseBackend implements JobSink {
  readonly db: Database
  readonly #p: (i: number) => string

  constructor(db: Database) {
    this.db = db
    this.#p = placeholders(db.dialect.name)
  }

  async install(): Promise<void> {
    for (const sql of createTableSql(this.db.dialect.name)) {
      try {
        await this.db.run(sql, [])
      } catch (err) {
        // MySQL has no CREATE INDEX IF NOT EXISTS: a second install finds it there.
        if (!String(err).includes("Duplicate key name")) throw err
      }
    }
  }

  async insert(jobs: readonly NewJob[], via?: Executor): Promise<string[]> {
    const db = via ?? this.db
    const ids: string[] = []
    const d = db.dialect.name
    const p = this.#p
    const cols = Array.from({ length: 11 }, (_, i) => p(i + 1)).join(", ")
    const verb = d === "mysql" ? "INSERT IGNORE" : "INSERT"
    const tail = d === "mysql" ? "" : " ON CONFLICT (name, idem_key) DO NOTHING"
    const sql = `${verb} INTO truss_jobs (id, name, queue, payload, state, priority, attempts, max_attempts, run_at, idem_key, created_at) VALUES (${cols})${tail}`
    for (const j of jobs) {
      const id = randomUUID()
      await db.run(sql, [
        id,
        j.name,
        j.queue,
        j.payload,
        "queued",
        j.priority,
        0,
        j.maxAttempts,
        j.runAt,
        j.key,
        Date.now(),
      ])
      ids.push(id)
    }
    return ids
  }

  claim(queue: string, limit: number, leaseMs: number): Promise<JobRow[]> {
    return claim(this.db, queue, limit, leaseMs).then((rows) => rows.map(toRow))
  }

  /** Extends a lease; false when the job is no longer ours (cancelled or reclaimed). */
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
    await this.db.run(
      `UPDATE truss_jobs SET state = ${p(1)}, locked_until = NULL, error = ${p(2)}, stack = ${p(3)}, run_at = COALESCE(${p(4)}, run_at) WHERE id = ${p(5)} AND state = 'running'`,
      [state, f.error?.message ?? null, f.error?.stack ?? null, f.runAt ?? null, id],
    )
  }

  /** Puts a running job back without counting the attempt (graceful shutdown). */
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
      `UPDATE truss_jobs SET state = 'cancelled', locked_until = NULL WHERE id = ${p(1)} AND state IN ('queued', 'running')`,
      [id],
    )
    return Number(r.numAffectedRows ?? 0) > 0
  }

  async get(id: string): Promise<JobRow | undefined> {
    const r = await this.db.run(`SELECT * FROM truss_jobs WHERE id = ${this.#p(1)}`, [id])
    return r.rows[0] === undefined ? undefined : toRow(r.rows[0])
  }

  async list(state?: string): Promise<JobRow[]> {
    const r =
      state === undefined
        ? await this.db.run("SELECT * FROM truss_jobs ORDER BY created_at, id", [])
        : await this.db.run(
            `SELECT * FROM truss_jobs WHERE state = ${this.#p(1)} ORDER BY created_at, id`,
            [state],
          )
    return r.rows.map(toRow)
  }
}
