import type { JobRow, JobState } from "../../backend.js"

/** A `truss_jobs` row as read from any driver (PostgreSQL returns BIGINT as text). */
export function toRow(r: Record<string, unknown>): JobRow {
  return {
    id: String(r.id),
    name: String(r.name),
    queue: String(r.queue),
    payload: String(r.payload),
    state: String(r.state) as JobState,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    runAt: Number(r.run_at),
    error: r.error == null ? null : String(r.error),
  }
}
