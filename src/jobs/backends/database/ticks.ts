import type { Executor } from "../../../orm/index.js"
import { placeholders } from "./sql.js"

/** The last tick a schedule enqueued, from `truss_job_schedules`. */
export async function lastTick(db: Executor, schedule: string): Promise<number | undefined> {
  const p = placeholders(db.dialect.name)
  const r = await db.run(`SELECT last_tick FROM truss_job_schedules WHERE name = ${p(1)}`, [
    schedule,
  ])
  return r.rows[0] === undefined ? undefined : Number(r.rows[0].last_tick)
}

/** Upserts a tick, keeping the greater one when processes race. */
export async function markTick(db: Executor, schedule: string, tick: number): Promise<void> {
  const d = db.dialect.name
  const sql =
    d === "mysql"
      ? "INSERT INTO truss_job_schedules (name, last_tick) VALUES (?, ?) ON DUPLICATE KEY UPDATE last_tick = GREATEST(last_tick, VALUES(last_tick))"
      : d === "postgres"
        ? "INSERT INTO truss_job_schedules (name, last_tick) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_tick = GREATEST(truss_job_schedules.last_tick, EXCLUDED.last_tick)"
        : "INSERT INTO truss_job_schedules (name, last_tick) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_tick = MAX(last_tick, excluded.last_tick)"
  await db.run(sql, [schedule, tick])
}
