/**
 * CPU time of the PostgreSQL backends serving the TFB database (the servers' own
 * connections, not other databases' work), to show when the database is the limit.
 * @module
 */
import { readFileSync } from "node:fs"
import pg from "pg"
import { DATABASE_URL } from "./db.js"

/** A reader of the TFB backends' CPU seconds. */
export interface PgCpu {
  /** CPU seconds used so far by every backend connected to the TFB database now. */
  seconds(): Promise<number>
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
    async seconds() {
      const { rows } = await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      )
      return rows.reduce((t, r) => t + ticks(r.pid), 0) / 100
    },
    close: () => client.end(),
  }
}
