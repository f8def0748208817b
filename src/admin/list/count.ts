/**
 * How many rows a list shows: an exact `COUNT(*)`, or on PostgreSQL, for an unfiltered
 * list of a large table, the planner's estimate (`pg_class.reltuples`), which costs
 * nothing where a count scans the whole table.
 * @module
 */
import { type Database, sql } from "../../orm/index.js"
import type { AnyQuerySet } from "./query.js"

/** Above this many estimated rows, an unfiltered PostgreSQL list shows the estimate. */
export const ESTIMATE_ABOVE = 100_000

/** A row count, and whether it is an estimate. */
export interface ListCount {
  readonly total: number
  readonly estimated: boolean
}

async function estimate(db: Database, table: string): Promise<number | undefined> {
  const rows = await db.execute<{ n: number | string | null }>(
    sql`SELECT reltuples AS n FROM pg_class WHERE oid = to_regclass(${table})`,
  )
  const n = Number(rows[0]?.n ?? -1)
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined
}

/** Counts `qs`; see the module comment for when it estimates. */
export async function countRows(
  db: Database,
  qs: AnyQuerySet,
  table: string,
  narrowed: boolean,
  threshold = ESTIMATE_ABOVE,
): Promise<ListCount> {
  if (!narrowed && db.dialect.name === "postgres") {
    const n = await estimate(db, table)
    if (n !== undefined && n > threshold) return { total: n, estimated: true }
  }
  return { total: await qs.count(), estimated: false }
}
