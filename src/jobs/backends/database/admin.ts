import type { Executor } from "../../../orm/index.js"
import { JOB_STATES, type JobState, type JobStats } from "../../backend.js"
import { placeholders } from "./sql.js"

/** Queues a dead or cancelled job again with fresh attempts, due now. */
export async function retryJob(db: Executor, id: string): Promise<boolean> {
  const p = placeholders(db.dialect.name)
  const r = await db.run(
    `UPDATE truss_jobs SET state = 'queued', attempts = 0, run_at = ${p(1)}, error = NULL, stack = NULL, finished_at = NULL WHERE id = ${p(2)} AND state IN ('dead', 'cancelled')`,
    [Date.now(), id],
  )
  return Number(r.numAffectedRows ?? 0) > 0
}

/** Deletes the jobs in `state` that ended before `before` (all of them by default). */
export async function purgeJobs(db: Executor, state: JobState, before?: number): Promise<number> {
  const p = placeholders(db.dialect.name)
  const r =
    before === undefined
      ? await db.run(`DELETE FROM truss_jobs WHERE state = ${p(1)}`, [state])
      : await db.run(
          `DELETE FROM truss_jobs WHERE state = ${p(1)} AND COALESCE(finished_at, created_at) < ${p(2)}`,
          [state, before],
        )
  return Number(r.numAffectedRows ?? 0)
}

/** Counts per queue and state, every state present (0 when none). */
export async function jobStats(db: Executor): Promise<JobStats> {
  const r = await db.run(
    "SELECT queue, state, COUNT(*) AS n FROM truss_jobs GROUP BY queue, state ORDER BY queue",
    [],
  )
  const stats: JobStats = {}
  for (const row of r.rows) {
    const q = String(row.queue)
    stats[q] ??= Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
    stats[q][String(row.state) as JobState] = Number(row.n)
  }
  return stats
}
