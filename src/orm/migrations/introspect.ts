/**
 * Reads the live schema back and compares it with a schema state, so tests (and
 * `truss check`) can prove the database matches the models.
 * @module
 */

import type { Executor } from "../executor.js"
import type { SchemaState } from "./state.js"

/** A table as the database reports it. */
export interface LiveTable {
  readonly name: string
  readonly columns: readonly { name: string; type: string; nullable: boolean }[]
  readonly indexes: readonly { name: string; columns: string[]; unique: boolean }[]
}

const INTERNAL = /^truss_migrations/

async function indexes(ex: Executor, table: string): Promise<LiveTable["indexes"]> {
  const d = ex.dialect
  const rows = await d.introspection.indexRows((q, p) => ex.run(q, p), table)
  const out = new Map<string, { name: string; cols: [number, string][]; unique: boolean }>()
  for (const r of rows) {
    const name = String(r.name)
    const ix = out.get(name) ?? { name, cols: [], unique: r.uniq === true || Number(r.uniq) === 1 }
    ix.cols.push([Number(r.pos), String(r.col)])
    out.set(name, ix)
  }
  return [...out.values()]
    .map((ix) => ({
      name: ix.name,
      unique: ix.unique,
      columns: ix.cols.sort((a, b) => a[0] - b[0]).map(([, c]) => c),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** Reads every table (except Truss's own) with columns and indexes. */
export async function introspect(ex: Executor): Promise<LiveTable[]> {
  const tables = await ex.kysely.introspection.getTables()
  // Kysely lists every PostgreSQL schema; keep the one the connection works in.
  let schema: string | undefined
  const schemaSql = ex.dialect.introspection.currentSchemaSql
  if (schemaSql) {
    const { rows } = await ex.run(schemaSql, [])
    schema = String(rows[0]?.s)
  }
  const out: LiveTable[] = []
  for (const t of tables) {
    if (INTERNAL.test(t.name) || t.isView) continue
    if (schema !== undefined && t.schema !== schema) continue
    const columns = t.columns.map((c) => ({
      name: c.name,
      type: c.dataType.toLowerCase(),
      nullable: c.isNullable,
    }))
    out.push({ name: t.name, columns, indexes: await indexes(ex, t.name) })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1))
}

/**
 * Lists every difference between the live schema and `state` (empty when they match):
 * tables, column names, types, nullability and indexes.
 */
export async function schemaDifferences(ex: Executor, state: SchemaState): Promise<string[]> {
  const live = await introspect(ex)
  const d = ex.dialect
  const out: string[] = []
  const names = new Set(Object.keys(state))
  for (const t of live) if (!names.has(t.name)) out.push(`unexpected table ${t.name}`)
  for (const want of Object.values(state)) {
    const got = live.find((t) => t.name === want.name)
    if (!got) {
      out.push(`missing table ${want.name}`)
      continue
    }
    // Column order is not compared: ADD COLUMN appends, so it depends on history.
    const wantCols = want.columns
      .map((c) => c.name)
      .sort()
      .join(",")
    const gotCols = got.columns
      .map((c) => c.name)
      .sort()
      .join(",")
    if (wantCols !== gotCols) out.push(`${want.name} columns: want ${wantCols}, got ${gotCols}`)
    for (const c of want.columns) {
      const g = got.columns.find((x) => x.name === c.name)
      if (!g) continue
      const type = d.introspection.reportedType(c.kind, d.columnType(c).replace(/\(.*$/, ""))
      if (g.type !== type) out.push(`${want.name}.${c.name} type: want ${type}, got ${g.type}`)
      if (!c.primaryKey && g.nullable !== !!c.null)
        out.push(`${want.name}.${c.name} nullable: want ${!!c.null}, got ${g.nullable}`)
    }
    const gotIx = got.indexes.filter((i) => !d.introspection.isImplicitIndex(i.name))
    const fmt = (i: { name: string; columns: readonly string[]; unique?: boolean }) =>
      `${i.name}(${i.columns.join(",")})${i.unique ? " unique" : ""}`
    const wantIx = [...want.indexes]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(fmt)
      .join("; ")
    const haveIx = gotIx.map(fmt).join("; ")
    if (wantIx !== haveIx) out.push(`${want.name} indexes: want ${wantIx}, got ${haveIx}`)
  }
  return out
}
