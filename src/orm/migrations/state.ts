/**
 * The schema state migrations work on: plain, serializable table definitions built
 * from models or by replaying migration operations.
 * @module
 */
import type { FieldKind } from "../fields/field.js"
import type { OnDelete } from "../fields/relations.js"
import type { ColumnMeta } from "../meta.js"
import type { AnyModel } from "../model.js"

/** A literal column default that can be written into DDL. */
export type DefaultLiteral = string | number | boolean

/** One column, as written in migration files. */
export interface ColumnState {
  readonly name: string
  readonly kind: FieldKind
  readonly null?: boolean
  readonly primaryKey?: boolean
  readonly max?: number
  readonly precision?: number
  readonly scale?: number
  readonly default?: DefaultLiteral
  readonly references?: { readonly table: string; readonly onDelete: OnDelete }
}

/** One index. */
export interface IndexState {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique?: boolean
}

/** One check constraint. */
export interface CheckState {
  readonly name: string
  readonly check: string
}

/** One table. */
export interface TableState {
  readonly name: string
  readonly columns: readonly ColumnState[]
  readonly indexes: readonly IndexState[]
  readonly checks: readonly CheckState[]
}

/** Every table, by name. */
export type SchemaState = Readonly<Record<string, TableState>>

const STRINGY = new Set<FieldKind>(["string", "email", "url", "slug", "enum"])

/** The column state of a model column. */
export function columnState(col: ColumnMeta): ColumnState {
  const out: { -readonly [K in keyof ColumnState]: ColumnState[K] } = {
    name: col.column,
    kind: col.kind,
  }
  if (col.primaryKey) out.primaryKey = true
  if (col.nullable) out.null = true
  const o = col.options
  if (STRINGY.has(col.kind) && typeof o.max === "number") out.max = o.max
  if (col.kind === "decimal") {
    out.precision = o.precision ?? 12
    out.scale = o.scale ?? 2
  }
  const d = o.default
  if (
    typeof d === "string" ||
    typeof d === "boolean" ||
    (typeof d === "number" && Number.isFinite(d))
  ) {
    if (!(col.kind === "datetime" && d === "now")) out.default = d
  }
  if (col.references) {
    out.references = { table: col.references.model.meta.table, onDelete: col.references.onDelete }
  }
  return out
}

function tableOf(m: AnyModel): TableState {
  const meta = m.meta
  const checks: CheckState[] = []
  const indexes: IndexState[] = meta.indexes.map((ix) => ({
    name: ix.name,
    columns: ix.columns,
    ...(ix.unique ? { unique: true } : {}),
  }))
  for (const c of meta.constraints) {
    if (c.type === "check") checks.push({ name: c.name, check: c.check })
    else
      indexes.push({
        name: c.name,
        columns: c.fields.map((f) => meta.column(f).column),
        unique: true,
      })
  }
  return { name: meta.table, columns: meta.columns.map(columnState), indexes, checks }
}

/** The schema state the models describe, including automatic many-to-many tables. */
export function modelsState(models: readonly AnyModel[]): SchemaState {
  const out: Record<string, TableState> = {}
  const add = (m: AnyModel): void => {
    const t = tableOf(m)
    out[t.name] = t
    for (const rel of m.meta.manyToMany)
      if (rel.through && !out[rel.through.model.meta.table]) add(rel.through.model)
  }
  for (const m of models) add(m)
  return out
}

/** Structural equality of two JSON-like values (key order ignored). */
export function sameShape(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b)
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`
  if (v && typeof v === "object") {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== false)
    entries.sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`
  }
  return JSON.stringify(v)
}
