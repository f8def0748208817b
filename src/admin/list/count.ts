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

/** The planner's estimate changes only with ANALYZE / autovacuum: ask at most once a minute per table. */
const ESTIMATE_TTL_MS = 60_000

/** Estimates by table, kept by each admin site. */
export type EstimateCache = Map<string, { n: number | undefined; at: number }>

async function estimate(
  db: Database,
  table: string,
  byTable: EstimateCache,
): Promise<number | undefined> {
  const hit = byTable.get(table)
  if (hit !== undefined && Date.now() - hit.at < ESTIMATE_TTL_MS) return hit.n
  const n = await readEstimate(db, table)
  byTable.set(table, { n, at: Date.now() })
  return n
}

async function readEstimate(db: Database, table: string): Promise<number | undefined> {
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
  cache: EstimateCache,
  threshold = ESTIMATE_ABOVE,
): Promise<ListCount> {
  if (!narrowed && db.dialect.name === "postgres") {
    const n = await estimate(db, table, cache)
    if (n !== undefined && n > threshold) return { total: n, estimated: true }
  }
  return { total: await qs.count(), estimated: false }
}
