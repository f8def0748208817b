/**
 * The portable value encoding of `truss dumpdata`: JSON as is, except the kinds JSON
 * cannot carry, by field kind: `datetime` as an ISO 8601 string, `bigint` as a decimal
 * string, `binary` as base64. The same line loads into SQLite, PostgreSQL or MariaDB.
 * @module
 */
import type { AnyModel } from "../../orm/index.js"

/** One row of a dump: `{"model":"note","pk":1,"fields":{…}}`. */
export interface DumpLine {
  model: string
  pk: unknown
  fields: Record<string, unknown>
}

function encodeValue(kind: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (kind === "datetime" && value instanceof Date) return value.toISOString()
  if (kind === "bigint" && typeof value === "bigint") return value.toString()
  if (kind === "binary" && value instanceof Uint8Array) return Buffer.from(value).toString("base64")
  return value
}

function decodeValue(kind: string, value: unknown): unknown {
  if (value === null) return null
  if (kind === "datetime" && typeof value === "string") return new Date(value)
  if (kind === "bigint" && (typeof value === "string" || typeof value === "number"))
    return BigInt(value)
  if (kind === "binary" && typeof value === "string") return Buffer.from(value, "base64")
  return value
}

/** A row (as the ORM returns it) as a dump line. */
export function encodeRow(model: AnyModel, row: Record<string, unknown>): DumpLine {
  const { pk } = model.meta
  const fields: Record<string, unknown> = {}
  for (const c of model.meta.columns) {
    if (c.key !== pk.key) fields[c.key] = encodeValue(c.kind, row[c.key])
  }
  return { model: model.name, pk: encodeValue(pk.kind, row[pk.key]), fields }
}

/** A dump line back as a create input, primary key included. */
export function decodeRow(model: AnyModel, line: DumpLine): Record<string, unknown> {
  const { pk } = model.meta
  const row: Record<string, unknown> = { [pk.key]: decodeValue(pk.kind, line.pk) }
  for (const c of model.meta.columns) {
    if (c.key !== pk.key && c.key in line.fields)
      row[c.key] = decodeValue(c.kind, line.fields[c.key])
  }
  return row
}
