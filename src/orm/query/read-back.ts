/**
 * Inserts without RETURNING (MySQL, or MariaDB with `returning: false`): the new rows'
 * keys come from the client (uuid and explicit ids) or the server's insert id, and the
 * rows are read back by primary key.
 * @module
 */
import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { AnyModel } from "../model.js"
import { modelRowDecoder } from "./compile-select.js"
import { compileInsert, returningList } from "./compile-write.js"

type Values = Record<string, unknown>

const hasId = (r: Values): boolean => r.id !== undefined && r.id !== null

/**
 * Inserts complete rows and returns them as stored, in input order. One statement when
 * every key is known up front, or when the server gives one multi-row INSERT consecutive
 * auto ids (`insertId`, `insertId + step`, …; InnoDB lock mode 0 or 1); otherwise one
 * INSERT per row in a transaction, each reporting its own `insertId`.
 */
export async function insertReadBack(
  ex: Executor,
  m: AnyModel,
  rows: readonly Values[],
): Promise<Values[]> {
  if (rows.length === 0) return []
  const d = ex.dialect
  const known = rows.every(hasId)
  const auto = !known && !rows.some(hasId)
  if (known || (auto && (rows.length === 1 || d.autoIdStep > 0))) {
    const { sql, parameters } = compileInsert(d, m.meta, rows, known)
    const result = await ex.exec(sql, parameters)
    if (known)
      return readBack(
        ex,
        m,
        rows.map((r) => r.id),
      )
    const first = insertedId(m, result.insertId)
    return readBack(
      ex,
      m,
      rows.map((_, i) => first + i * d.autoIdStep),
    )
  }
  return ex.transaction(async (tx) => {
    const ids: unknown[] = []
    for (const row of rows) {
      const own = hasId(row)
      const { sql, parameters } = compileInsert(d, m.meta, [row], own)
      const result = await tx.exec(sql, parameters)
      ids.push(own ? row.id : insertedId(m, result.insertId))
    }
    return readBack(tx, m, ids)
  })
}

function insertedId(m: AnyModel, id: bigint | undefined): number {
  // An auto-increment key always reports its id; 0/undefined means the table has none.
  if (id === undefined) throw ormErrors.DOES_NOT_EXIST({ model: m.name })
  return Number(id)
}

/** Selects rows by primary key and returns them in the order of `ids`. */
export async function readBack(
  ex: Executor,
  m: AnyModel,
  ids: readonly unknown[],
): Promise<Values[]> {
  const d = ex.dialect
  const meta = m.meta
  const q = d.quote
  const pk = meta.columns.find((c) => c.primaryKey)
  const ph = ids.map((_, i) => d.placeholder(i + 1)).join(", ")
  const params = ids.map((id) => d.encode(pk?.kind ?? "id", id))
  const back = await ex.exec(
    `SELECT ${returningList(d, meta)} FROM ${q(meta.table)} WHERE ${q("id")} IN (${ph})`,
    params,
  )
  const decode = modelRowDecoder(d, meta)
  const byId = new Map<string, Values>()
  for (const raw of back.rows) {
    const row = decode(raw)
    byId.set(String(row.id), row)
  }
  return ids.map((id) => {
    const row = byId.get(String(id))
    // Deleted by another connection between the INSERT and this SELECT.
    if (row === undefined) throw ormErrors.DOES_NOT_EXIST({ model: m.name })
    return row
  })
}
