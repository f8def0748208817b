/**
 * Create, update and delete helpers shared by query sets: defaults, validation,
 * hooks and the INSERT round trip on each database.
 * @module
 */
import { randomUUID } from "node:crypto"
import type { DialectName, SqlDialect } from "../dialects/dialect.js"
import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { ModelMeta } from "../meta.js"
import type { AnyModel } from "../model.js"
import { createPreparer } from "../prepare-create.js"
import { validateInput } from "../schema.js"
import { modelRowDecoder } from "./compile-select.js"
import { compileInsert } from "./compile-write.js"
import { insertReadBack } from "./read-back.js"

type Values = Record<string, unknown>

/** Validates input and throws TRUSS_ERR_ORM_VALIDATION with field-level errors. */
export function validated(m: AnyModel, input: unknown, mode: "create" | "update"): Values {
  const result = validateInput(m, input, mode)
  if (!result.issues && !m.options.clean) return result.value
  const issues = result.issues ? [...result.issues] : []
  const values = result.issues ? {} : result.value
  if (!result.issues && m.options.clean) {
    const errors = m.options.clean(values as never) ?? {}
    for (const [field, message] of Object.entries(errors)) issues.push({ message, path: [field] })
  }
  if (issues.length === 0) return values
  const errors = issues.map((i) => ({ field: String(i.path?.[0] ?? ""), message: i.message }))
  const summary = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join("; ")
  throw ormErrors.VALIDATION({ model: m.name, summary }, { extensions: { errors } })
}

/** Fills defaults, `autoNow` timestamps and uuid keys into validated create input. */
export function withDefaults(m: AnyModel, values: Values): Values {
  const out: Values = { ...values }
  let now: Date | undefined
  for (const col of m.meta.columns) {
    if (out[col.key] !== undefined) continue
    if (col.primaryKey) {
      if (col.kind === "uuidId") out.id = randomUUID()
      continue
    }
    const d = col.options.default
    if (d === "now" && col.kind === "datetime") out[col.key] = now ??= new Date()
    else if (typeof d === "function") out[col.key] = (d as () => unknown)()
    else if (d !== undefined) out[col.key] = d
    else if (col.options.autoNow) out[col.key] = now ??= new Date()
    else out[col.key] = null
  }
  return out
}

function validatedWithDefaults(m: AnyModel, input: unknown): Values {
  return withDefaults(m, validated(m, input, "create"))
}

/**
 * Returns the model's compiled create-input preparer: the same row as
 * `withDefaults(m, validated(m, input, "create"))`, and the same errors, in one pass.
 */
export function createInput(m: AnyModel): (input: unknown) => Values {
  return createPreparer(m, validatedWithDefaults)
}

/** Sets `autoNow` fields on update values. */
export function withAutoNow(m: AnyModel, values: Values): Values {
  let out = values
  for (const col of m.meta.columns) {
    if (col.options.autoNow && values[col.key] === undefined) {
      if (out === values) out = { ...values }
      out[col.key] = new Date()
    }
  }
  return out
}

// The most values one statement may bind: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766
// since 3.32, better-sqlite3 ships 3.5x) and the 16-bit parameter count of the PostgreSQL
// and MySQL protocols.
const MAX_PARAMETERS: Record<DialectName, number> = { sqlite: 32766, postgres: 65535, mysql: 65535 }

/** The rows per INSERT: `size`, lowered so one statement stays under the parameter limit. */
export function insertBatchSize(d: SqlDialect, meta: ModelMeta, size: number): number {
  const max = Math.floor(MAX_PARAMETERS[d.name] / meta.columns.length)
  return Math.max(1, Math.min(size, max))
}

/** Decodes a row returned by INSERT … RETURNING (keyed by column name). */
export function decodeRow(ex: Executor, m: AnyModel, raw: Record<string, unknown>): Values {
  return modelRowDecoder(ex.dialect, m.meta)(raw)
}

/** Inserts complete rows and returns them as stored. */
export async function insertRows(
  ex: Executor,
  m: AnyModel,
  rows: readonly Values[],
): Promise<Values[]> {
  if (rows.length === 0) return []
  // MySQL has no RETURNING: the rows are read back by primary key.
  if (!ex.dialect.insertReturning) return insertReadBack(ex, m, rows)
  const meta = m.meta
  let withId = false
  for (const r of rows) if (r.id !== undefined && r.id !== null) withId = true
  const d = ex.dialect
  const { sql, parameters } = compileInsert(d, meta, rows, withId)
  const result = await ex.exec(sql, parameters)
  const decode = modelRowDecoder(d, meta)
  return result.rows.map((r) => decode(r))
}
