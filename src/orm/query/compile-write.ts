/**
 * Compiles INSERT, UPDATE and DELETE statements.
 * @module
 */
import type { SqlDialect } from "../dialects/dialect.js"
import type { ColumnMeta, ModelMeta } from "../meta.js"
import { compileTargetWhere, remember, shapeCache, simpleFilter } from "./compile-select.js"
import { Expression } from "./expressions.js"
import { Params, Scope } from "./scope.js"
import type { QueryState } from "./state.js"
import { compileExpr } from "./where.js"

/** A compiled statement. */
export interface Compiled {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/** The RETURNING list of every column. */
export function returningList(d: SqlDialect, meta: ModelMeta): string {
  return meta.columns.map((c) => d.quote(c.column)).join(", ")
}

/**
 * Compiles a multi-row INSERT of complete rows (every non-key column present, so the
 * SQL text is stable and prepared statements are reused).
 */
export function compileInsert(
  d: SqlDialect,
  meta: ModelMeta,
  rows: readonly Record<string, unknown>[],
  withId: boolean,
): Compiled {
  const cache = shapeCache(d, meta)
  // Literal keys for one row: no string to build and hash per insert.
  const key = rows.length === 1 ? (withId ? "i1+" : "i1") : `i${rows.length}${withId ? "+" : ""}`
  let hit = cache.get(key)
  if (!hit) {
    const cols: ColumnMeta[] = withId
      ? [...meta.columns]
      : meta.columns.filter((c) => !c.primaryKey)
    const params = new Params(d)
    const tuples: string[] = []
    for (const _ of rows) tuples.push(`(${cols.map(() => params.add(null)).join(", ")})`)
    let names = cols.map((c) => d.quote(c.column)).join(", ")
    if (cols.length === 0) {
      // Only an automatic key: `()` is MySQL-only; SQLite numbers a NULL key itself.
      const auto = d.autoIdRow
      names = d.quote(meta.pk.column)
      tuples.fill(auto)
    }
    const returning = d.insertReturning ? ` RETURNING ${returningList(d, meta)}` : ""
    const sql = `INSERT INTO ${d.quote(meta.table)} (${names}) VALUES ${tuples.join(", ")}${returning}`
    hit = { sql, cols, decode: () => [] }
    remember(cache, key, hit)
  }
  // One flat array of the final size, filled in place: no growth copies for 1,000 rows.
  const cols = hit.cols
  const width = cols.length
  const parameters: unknown[] = new Array(rows.length * width)
  let p = 0
  for (const row of rows) {
    for (let j = 0; j < width; j++) {
      const c = cols[j] as ColumnMeta
      parameters[p++] = d.encode(c.kind, row[c.key] ?? null)
    }
  }
  return { sql: hit.sql, parameters }
}

/** Compiles an UPDATE (from the shape cache when the filter and values are plain). */
export function compileUpdate(
  d: SqlDialect,
  state: QueryState,
  values: Readonly<Record<string, unknown>>,
): Compiled {
  const filter = state.limit === undefined ? simpleFilter(state) : undefined
  if (filter === undefined) return compileUpdateFull(d, state, values)
  let key = "u"
  for (const k in values) {
    const v = values[k]
    if (v === undefined || v instanceof Expression) return compileUpdateFull(d, state, values)
    key += `,${k}`
  }
  key += "|"
  for (const k in filter) key += `,${k}`
  const meta = state.model.meta
  const cache = shapeCache(d, meta)
  let hit = cache.get(key)
  if (!hit) {
    const full = compileUpdateFull(d, state, values)
    const cols = [...Object.keys(values), ...Object.keys(filter)].map((k) => meta.column(k))
    hit = { sql: full.sql, cols, decode: () => [] }
    remember(cache, key, hit)
  }
  const parameters: unknown[] = []
  let i = 0
  for (const k in values) parameters.push(d.encode((hit.cols[i++] as ColumnMeta).kind, values[k]))
  for (const k in filter) parameters.push(d.encode((hit.cols[i++] as ColumnMeta).kind, filter[k]))
  return { sql: hit.sql, parameters }
}

function compileUpdateFull(
  d: SqlDialect,
  state: QueryState,
  values: Readonly<Record<string, unknown>>,
): Compiled {
  const meta = state.model.meta
  const params = new Params(d)
  const scope = new Scope(meta, meta.table, params)
  const sets: string[] = []
  for (const key of Object.keys(values)) {
    const v = values[key]
    if (v === undefined) continue
    const col = meta.column(key)
    const rhs =
      v instanceof Expression ? compileExpr(scope, v.node) : params.add(d.encode(col.kind, v))
    sets.push(`${d.quote(col.column)} = ${rhs}`)
  }
  const where = compileTargetWhere(d, state, params)
  const sql = `UPDATE ${d.quote(meta.table)} SET ${sets.join(", ")}${where}`
  return { sql, parameters: params.values }
}

/**
 * Compiles one UPDATE for many rows by primary key (PostgreSQL): `UPDATE t SET c =
 * v.c FROM (VALUES ($1::BIGINT, $2::INTEGER), …) AS v(id, c) WHERE t.id = v.id`.
 * Each value is cast to its column's type without length or precision, so nothing is
 * truncated or rounded on the way. The SQL text depends only on the shape.
 */
export function compileBulkUpdate(
  d: SqlDialect,
  meta: ModelMeta,
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
): Compiled {
  const cache = shapeCache(d, meta)
  const key = `b${rows.length}|${keys.join(",")}`
  let hit = cache.get(key)
  if (!hit) {
    const pk = meta.columns.find((c) => c.primaryKey) as ColumnMeta
    const cols = [pk, ...keys.map((k) => meta.column(k))]
    const cast = (c: ColumnMeta) =>
      `::${d.columnType({ kind: c.kind }).replace(/\s*\([^)]*\)/, "")}`
    const params = new Params(d)
    const tuples: string[] = []
    for (const _ of rows) tuples.push(`(${cols.map((c) => params.add(null) + cast(c)).join(", ")})`)
    const t = d.quote(meta.table)
    const v = d.quote("v")
    const names = cols.map((c, i) => d.quote(i === 0 ? c.column : `c${i}`))
    const sets = cols
      .slice(1)
      .map((c, i) => `${d.quote(c.column)} = ${v}.${names[i + 1]}`)
      .join(", ")
    const sql = `UPDATE ${t} SET ${sets} FROM (VALUES ${tuples.join(", ")}) AS ${v}(${names.join(", ")}) WHERE ${t}.${d.quote(pk.column)} = ${v}.${names[0]}`
    hit = { sql, cols, decode: () => [] }
    remember(cache, key, hit)
  }
  const parameters: unknown[] = []
  for (const row of rows) for (const c of hit.cols) parameters.push(d.encode(c.kind, row[c.key]))
  return { sql: hit.sql, parameters }
}

/** Compiles `DELETE FROM … WHERE …` for the rows a query set matches. */
export function compileDelete(d: SqlDialect, state: QueryState): Compiled {
  const meta = state.model.meta
  const params = new Params(d)
  const where = compileTargetWhere(d, state, params)
  return { sql: `DELETE FROM ${d.quote(meta.table)}${where}`, parameters: params.values }
}

/**
 * Compiles a one-row upsert: `ON CONFLICT (…) DO UPDATE` on PostgreSQL and SQLite,
 * `ON DUPLICATE KEY UPDATE` on MySQL/MariaDB (which reacts to any unique key).
 */
export function compileUpsert(
  d: SqlDialect,
  meta: ModelMeta,
  row: Readonly<Record<string, unknown>>,
  conflict: readonly string[],
  update: readonly string[],
): Compiled {
  const base = compileInsert(d, meta, [row], row.id !== undefined && row.id !== null)
  const q = d.quote
  const returningAt = base.sql.indexOf(" RETURNING ")
  const insert = returningAt < 0 ? base.sql : base.sql.slice(0, returningAt)
  const returning = returningAt < 0 ? "" : base.sql.slice(returningAt)
  const autoId = meta.columns.some((c) => c.primaryKey && c.kind === "id") ? q("id") : undefined
  const clause = d.upsertClause({
    conflict: conflict.map((k) => q(meta.column(k).column)),
    update: update.map((k) => q(meta.column(k).column)),
    autoId,
  })
  return { sql: `${insert}${clause}${returning}`, parameters: base.parameters }
}
