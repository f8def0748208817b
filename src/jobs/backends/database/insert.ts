import { randomUUID } from "node:crypto"
import type { Executor } from "../../../orm/index.js"
import type { NewJob } from "../../define.js"
import { CHANNEL, insertSql, placeholders } from "./sql.js"

const CHUNK = 500

function values(id: string, j: NewJob, now: number): unknown[] {
  const { name, queue, payload, priority, maxAttempts, runAt, key, unique } = j
  return [id, name, queue, payload, "queued", priority, 0, maxAttempts, runAt, key, unique, now]
}

/** The id of the row a skipped insert collided with (same idempotency or unique key). */
async function existing(db: Executor, j: NewJob): Promise<string> {
  const p = placeholders(db.dialect.name)
  const r =
    j.key !== null
      ? await db.run(`SELECT id FROM truss_jobs WHERE name = ${p(1)} AND idem_key = ${p(2)}`, [
          j.name,
          j.key,
        ])
      : await db.run(`SELECT id FROM truss_jobs WHERE unique_key = ${p(1)}`, [j.unique])
  return String(r.rows[0]?.id ?? "")
}

/**
 * Inserts jobs and returns their ids (for a skipped duplicate, the id of the job that
 * is already there). Keyless jobs go in multi-row statements of up to 500 rows.
 * On PostgreSQL a NOTIFY per queue wakes idle workers; inside a transaction it is
 * delivered on commit, so a worker never wakes for a job it cannot see yet.
 */
export async function insertJobs(db: Executor, jobs: readonly NewJob[]): Promise<string[]> {
  const d = db.dialect.name
  const now = Date.now()
  const one = insertSql(d)
  const ids: string[] = []
  const plain = jobs.filter((j) => j.key === null && j.unique === null)
  for (let i = 0; i < plain.length; i += CHUNK) {
    const chunk = plain.slice(i, i + CHUNK)
    const params: unknown[] = []
    for (const j of chunk) {
      const id = randomUUID()
      ids.push(id)
      params.push(...values(id, j, now))
    }
    await db.run(insertSql(d, chunk.length), params)
  }
  const byId = new Map<NewJob, string>()
  for (const j of jobs) {
    if (j.key === null && j.unique === null) continue
    const id = randomUUID()
    const r = await db.run(one, values(id, j, now))
    byId.set(j, Number(r.numAffectedRows ?? 0) > 0 ? id : await existing(db, j))
  }
  if (d === "postgres") {
    for (const q of new Set(jobs.map((j) => j.queue)))
      await db.run("SELECT pg_notify($1, $2)", [CHANNEL, q])
  }
  let k = 0
  return jobs.map((j) => byId.get(j) ?? (ids[k++] as string))
}
