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

/**
 * The ids of up to `limit` ready jobs of the top ready priority, oldest first. No
 * database can walk an ascending index for `ORDER BY priority DESC, run_at` (mixed
 * directions), so that order sorted every queued row per claim (5–7 ms at 20,000
 * rows). Fixing the priority first with one index probe lets the
 * `(queue, state, priority, run_at)` index give `run_at` order: a claim reads `limit`
 * index entries. Jobs of a lower priority are claimed once the top one is drained, in
 * the worker's next claim. On PostgreSQL the probe skips rows other workers hold, so
 * concurrent claims do not come back empty while jobs are ready.
 */
function pick(d: string, q: string, now: string, limit: string): string {
  const ready = READY.replaceAll("{now}", now)
  const lock = d === "postgres" ? " FOR UPDATE SKIP LOCKED" : ""
  const top = `SELECT priority FROM truss_jobs WHERE queue = ${q} AND ${ready} ORDER BY priority DESC LIMIT 1${lock}`
  return `SELECT id FROM truss_jobs WHERE queue = ${q} AND ${ready} AND priority = (${top}) ORDER BY run_at, id LIMIT ${limit}${lock}`
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
  // One UPDATE … RETURNING: SQLite's single writer makes it atomic; PostgreSQL's
  // SKIP LOCKED lets concurrent workers pick disjoint rows without waiting.
  const ids = d === "postgres" ? pick(d, "$2", "$3", "$4") : pick(d, "?", "?", "?")
  const sql = `UPDATE truss_jobs SET state = 'running', attempts = attempts + 1, locked_until = ${p(1)} WHERE id IN (${ids}) RETURNING *`
  // `?` placeholders bind in order: the outer query's queue and now, the probe's, the limit.
  const params =
    d === "postgres"
      ? [now + leaseMs, queue, now, limit]
      : [now + leaseMs, queue, now, queue, now, limit]
  return (await db.run(sql, params)).rows
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
  // The claim reads the snapshot from before `fin`, where the finished jobs are still
  // `running`, so it cannot pick them.
  const sql = `WITH fin AS (UPDATE truss_jobs SET state = 'done', locked_until = NULL, error = NULL, stack = NULL, finished_at = $4, unique_key = NULL WHERE id = ANY($1::uuid[]) AND state = 'running') UPDATE truss_jobs SET state = 'running', attempts = attempts + 1, locked_until = $2 WHERE id IN (${pick("postgres", "$3", "$4", "$5")}) RETURNING *`
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
