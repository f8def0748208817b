import type { Executor } from "../../../orm/index.js"

/** Placeholders per dialect: `$1` on PostgreSQL, `?` elsewhere. */
export function placeholders(dialect: string): (i: number) => string {
  return dialect === "postgres" ? (i) => `$${i}` : () => "?"
}

/** The channel PostgreSQL workers LISTEN on; the payload is the queue name. */
export const CHANNEL = "truss_jobs"

const COLUMNS =
  "id, name, queue, payload, state, priority, attempts, max_attempts, run_at, idem_key, unique_key, created_at"

/**
 * The INSERT of `rows` jobs. A row that hits the idempotency key or the unique key is
 * skipped (`ON CONFLICT DO NOTHING`, `INSERT IGNORE` on MySQL).
 */
export function insertSql(dialect: string, rows = 1): string {
  const p = placeholders(dialect)
  let n = 0
  const tuple = () => `(${Array.from({ length: 12 }, () => p(++n)).join(", ")})`
  const values = Array.from({ length: rows }, tuple).join(", ")
  if (dialect === "mysql") return `INSERT IGNORE INTO truss_jobs (${COLUMNS}) VALUES ${values}`
  return `INSERT INTO truss_jobs (${COLUMNS}) VALUES ${values} ON CONFLICT DO NOTHING`
}

// Only queued rows: an OR with expired leases would keep the planner off the claim
// index and sort every row of the queue per claim; `requeueExpired` handles those.
const READY = "state = 'queued' AND run_at <= {now}"

/** Puts jobs whose lease ran out (their worker died) back in the queue. */
export async function requeueExpired(db: Executor): Promise<void> {
  const p = placeholders(db.dialect.name)
  await db.run(
    `UPDATE truss_jobs SET state = 'queued', locked_until = NULL WHERE state = 'running' AND locked_until < ${p(1)}`,
    [Date.now()],
  )
}

/** Claims up to `limit` due jobs of a queue in one statement (or one transaction on MySQL). */
export async function claim(
  db: Executor,
  queue: string,
  limit: number,
  leaseMs: number,
): Promise<Record<string, unknown>[]> {
  const now = Date.now()
  const d = db.dialect.name
  if (d === "mysql") return claimMysql(db, queue, limit, now, leaseMs)
  const p = placeholders(d)
  const ready = READY.replaceAll("{now}", p(3))
  const lock = d === "postgres" ? " FOR UPDATE SKIP LOCKED" : ""
  // One UPDATE … RETURNING: SQLite's single writer makes it atomic; PostgreSQL's
  // SKIP LOCKED lets concurrent workers pick disjoint rows without waiting.
  const sql = `UPDATE truss_jobs SET state = 'running', attempts = attempts + 1, locked_until = ${p(1)} WHERE id IN (SELECT id FROM truss_jobs WHERE queue = ${p(2)} AND ${ready} ORDER BY priority DESC, run_at, id LIMIT ${p(4)}${lock}) RETURNING *`
  const r = await db.run(sql, [now + leaseMs, queue, now, limit])
  return r.rows
}

/** Marks running jobs done (one statement for all of them). */
export async function completeJobs(db: Executor, ids: readonly string[]): Promise<void> {
  const d = db.dialect.name
  const now = Date.now()
  const set = "state = 'done', locked_until = NULL, error = NULL, stack = NULL, unique_key = NULL"
  if (d === "postgres") {
    await db.run(
      `UPDATE truss_jobs SET ${set}, finished_at = $1 WHERE id = ANY($2::uuid[]) AND state = 'running'`,
      [now, ids],
    )
    return
  }
  const list = ids.map(() => "?").join(", ")
  await db.run(
    `UPDATE truss_jobs SET ${set}, finished_at = ? WHERE id IN (${list}) AND state = 'running'`,
    [now, ...ids],
  )
}

/**
 * PostgreSQL: one statement marks jobs done and claims the next ones (a data-modifying
 * CTE runs to completion even though the outer UPDATE does not read it).
 */
export async function completeAndClaimPostgres(
  db: Executor,
  ids: readonly string[],
  queue: string,
  limit: number,
  leaseMs: number,
): Promise<Record<string, unknown>[]> {
  const now = Date.now()
  const ready = READY.replaceAll("{now}", "$4")
  const sql = `WITH fin AS (UPDATE truss_jobs SET state = 'done', locked_until = NULL, error = NULL, stack = NULL, finished_at = $4, unique_key = NULL WHERE id = ANY($1::uuid[]) AND state = 'running') UPDATE truss_jobs SET state = 'running', attempts = attempts + 1, locked_until = $2 WHERE id IN (SELECT id FROM truss_jobs WHERE queue = $3 AND ${ready} AND NOT (id = ANY($1::uuid[])) ORDER BY priority DESC, run_at, id LIMIT $5 FOR UPDATE SKIP LOCKED) RETURNING *`
  return (await db.run(sql, [ids, now + leaseMs, queue, now, limit])).rows
}

async function claimMysql(
  db: Executor,
  queue: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<Record<string, unknown>[]> {
  const ready = READY.replaceAll("{now}", "?")
  return db.transaction(async (tx) => {
    const picked = await tx.run(
      `SELECT id FROM truss_jobs WHERE queue = ? AND ${ready} ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [queue, now, limit],
    )
    const ids = picked.rows.map((r) => r.id)
    if (ids.length === 0) return []
    const list = ids.map(() => "?").join(", ")
    await tx.run(
      `UPDATE truss_jobs SET state = 'running', attempts = attempts + 1, locked_until = ? WHERE id IN (${list})`,
      [now + leaseMs, ...ids],
    )
    return (await tx.run(`SELECT * FROM truss_jobs WHERE id IN (${list})`, ids)).rows
  })
}
