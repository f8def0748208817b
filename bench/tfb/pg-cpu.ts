/**
 * CPU time of the PostgreSQL backends serving the TFB database (the servers' own
 * connections, not other databases' work), to show when the database is the limit.
 * @module
 */
import { readFileSync } from "node:fs"
import pg from "pg"
import { DATABASE_URL } from "./db.js"

/** A reader of the TFB backends' CPU time. */
export interface PgCpu {
  /** A snapshot: CPU ticks of every backend connected to the TFB database now. */
  snapshot(): Promise<Map<number, number>>
  /**
   * CPU seconds used between two snapshots: backends in both count their difference,
   * backends that connected meanwhile count all of theirs (ones that left are lost).
   */
  between(before: Map<number, number>, after: Map<number, number>): number
  close(): Promise<void>
}

function ticks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return Number(f[11]) + Number(f[12])
  } catch {
    return 0
  }
}

/** Opens a reader (one admin connection, excluded from the sum). */
export async function pgCpu(): Promise<PgCpu> {
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  return {
    async snapshot() {
      const { rows } = await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      )
      return new Map(rows.map((r) => [r.pid, ticks(r.pid)]))
    },
    between(before, after) {
      let sum = 0
      for (const [pid, t] of after) sum += t - (before.get(pid) ?? 0)
      return sum / 100
    },
    close: () => client.end(),
  }
}
