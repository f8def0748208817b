import type { QueryResult } from "kysely"
import type { FieldKind } from "../../fields/field.js"
import {
  baseDecoders,
  type ColumnType,
  escapeLike,
  type LikeLookup,
  likeWrap,
  numericBoolean,
  onConflictClause,
  quoteString,
  type SqlDialect,
  type UpsertTarget,
} from "../dialect.js"
import { sqliteIntrospection } from "./introspect.js"
import { quote } from "./quote.js"

const GLOB_SPECIAL = /[*?[\]]/g

function encode(kind: FieldKind, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (kind === "boolean") return v ? 1 : 0
  if (kind === "datetime" && v instanceof Date) return v.toISOString()
  if (kind === "json") return JSON.stringify(v)
  if (kind === "binary" && v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v)
  if (typeof v === "boolean") return v ? 1 : 0
  if (v instanceof Date) return v.toISOString()
  return v
}

function columnType(col: ColumnType): string {
  switch (col.kind) {
    case "bigint":
      // Declared BIGINT so the statement cache turns on safe integers for these columns.
      return "BIGINT"
    case "id":
    case "integer":
    case "boolean":
      return "INTEGER"
    case "float":
      return "REAL"
    case "binary":
      return "BLOB"
    default:
      return "TEXT"
  }
}

/** SQLite: double-quoted identifiers, `?` placeholders, GLOB for case-sensitive matching. */
export const sqliteDialect: SqlDialect = Object.freeze({
  name: "sqlite",
  insertReturning: true,
  autoIdStep: 1,
  transactionalDdl: true,
  quote,
  placeholder: () => "?",
  like(column: string, lookup: LikeLookup, param: string): string {
    return lookup === "icontains"
      ? `${column} LIKE ${param} ESCAPE '\\'`
      : `${column} GLOB ${param}`
  },
  likePattern(lookup: LikeLookup, value: string): string {
    if (lookup === "icontains") return likeWrap(lookup, escapeLike(value))
    const escaped = value.replace(GLOB_SPECIAL, (c) => `[${c}]`)
    if (lookup === "startsWith") return `${escaped}*`
    if (lookup === "endsWith") return `*${escaped}`
    return `*${escaped}*`
  },
  limitOffset(limit: number | undefined, offset: number | undefined): string {
    if (limit === undefined && offset === undefined) return ""
    const l = ` LIMIT ${limit ?? -1}`
    return offset ? `${l} OFFSET ${offset}` : l
  },
  orderTerm(expr: string, desc: boolean, nulls: "first" | "last" | undefined): string {
    const dir = desc ? " DESC" : " ASC"
    return nulls ? `${expr}${dir} NULLS ${nulls.toUpperCase()}` : `${expr}${dir}`
  },
  encode,
  decoders: baseDecoders("parse"),
  columnType,
  autoIdDdl: "INTEGER PRIMARY KEY AUTOINCREMENT",
  booleanLiteral: numericBoolean,
  stringLiteral: quoteString,
  beginTransaction: () => ["BEGIN"],
  migrationLock: (table: string) => ({
    setup: `CREATE TABLE IF NOT EXISTS ${quote(table)} (${quote("id")} INTEGER PRIMARY KEY, ${quote("locked_at")} TEXT NOT NULL)`,
    tryLock: `INSERT OR IGNORE INTO ${quote(table)} (${quote("id")}, ${quote("locked_at")}) VALUES (1, ?)`,
    tryLockParams: () => [new Date().toISOString()],
    acquired: (r: QueryResult<Record<string, unknown>>) => Number(r.numAffectedRows ?? 0) === 1,
    release: `DELETE FROM ${quote(table)}`,
  }),
  introspection: sqliteIntrospection,
  autoIdRow: "(NULL)" as const,
  decimalsAsText: true,
  updateFromValues: false,
  wrapsTargetSubquery: false,
  upsertClause: (t: UpsertTarget) => onConflictClause(t, quote),
  ddl: {
    rebuildsTables: true,
    dropIndexOnTable: false,
    dropForeignKey: "CONSTRAINT" as const,
    dropColumnDependentsFirst: false,
    modifyColumn: false,
  },
  migrationGuard: {
    before: "PRAGMA foreign_keys = OFF",
    after: "PRAGMA foreign_keys = ON",
    danglingForeignKeys: "PRAGMA foreign_key_check",
  },
})
