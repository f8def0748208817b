/** Socket and server codes that mean the database cannot be reached right now. */
const LOST = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "57P01", // PostgreSQL admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
])

/** Whether a driver error says the database went away (not a bad query). */
function isConnectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === "string" && (LOST.has(code) || code.startsWith("08"))) return true
  return /^Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  )
}

/**
 * Turns the constraint-violation errors of better-sqlite3, pg and mysql2 into
 * `TRUSS_ERR_ORM_INTEGRITY`. Runs only on the error path of the statement runners.
 * @module
 */
import type { TrussError } from "../kit.js"
import { ormErrors } from "./errors.js"
import { allModels } from "./registry.js"

/**
 * What kind of constraint a statement violated: `extensions.kind` of
 * `TRUSS_ERR_ORM_INTEGRITY`.
 * @example
 * ```ts
 * import type { IntegrityKind } from "truss/orm"
 * const retryable = (kind: IntegrityKind) => kind === "unique"
 * ```
 */
export type IntegrityKind = "unique" | "foreignKey" | "notNull" | "check"

/**
 * The params of `TRUSS_ERR_ORM_INTEGRITY` (its `extensions`): what the driver says was
 * violated.
 * @example
 * ```ts
 * import type { IntegrityParams } from "truss/orm"
 * const where = (p: IntegrityParams) => [p.table, p.column ?? p.constraint].filter(Boolean).join(".")
 * ```
 */
export interface IntegrityParams {
  kind: IntegrityKind
  table?: string | undefined
  column?: string | undefined
  constraint?: string | undefined
}

interface DriverError {
  code?: unknown
  errno?: unknown
  message?: unknown
  table?: unknown
  column?: unknown
  constraint?: unknown
  detail?: unknown
}

const PG: Record<string, IntegrityKind> = {
  "23505": "unique",
  "23503": "foreignKey",
  "23502": "notNull",
  "23514": "check",
}
const SQLITE: Record<string, IntegrityKind> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreignKey",
  SQLITE_CONSTRAINT_NOTNULL: "notNull",
  SQLITE_CONSTRAINT_CHECK: "check",
}
const MYSQL: Record<number, IntegrityKind> = {
  1062: "unique",
  1451: "foreignKey",
  1452: "foreignKey",
  1048: "notNull",
  3819: "check",
  4025: "check",
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined)

/** The driver's details of a PostgreSQL violation; the column of a unique key from `detail`. */
function fromPostgres(kind: IntegrityKind, e: DriverError): IntegrityParams {
  const detail = str(e.detail)
  const key = kind === "unique" && detail ? /^Key \(([^)]+)\)=/.exec(detail)?.[1] : undefined
  return {
    kind,
    table: str(e.table),
    column: str(e.column) ?? key?.replaceAll('"', ""),
    constraint: str(e.constraint),
  }
}

/** better-sqlite3 names `table.column` after the colon ("UNIQUE constraint failed: user.email"). */
function fromSqlite(kind: IntegrityKind, message: string): IntegrityParams {
  const after = /constraint failed: (.+)$/.exec(message)?.[1]
  if (after === undefined) return { kind }
  if (kind === "check") return { kind, constraint: after }
  const pairs = after.split(", ").map((p) => p.split("."))
  const table = pairs[0]?.[0]
  return { kind, table, column: pairs.map((p) => p[1] ?? p[0]).join(", ") }
}

/** mysql2 only has the message: "Duplicate entry '…' for key 'user.user_email_key'", "(`db`.`t`, CONSTRAINT `c` …". */
function fromMysql(kind: IntegrityKind, message: string): IntegrityParams {
  if (kind === "notNull")
    return { kind, column: /^Column '(.+)' cannot be null/.exec(message)?.[1] }
  if (kind === "unique") {
    const key = /for key '(.+)'$/.exec(message)?.[1]
    const dot = key?.lastIndexOf(".") ?? -1
    return key !== undefined && dot > 0
      ? { kind, table: key.slice(0, dot), constraint: key.slice(dot + 1) }
      : { kind, constraint: key }
  }
  if (kind === "foreignKey") {
    const m = /\(`[^`]*`\.`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(`([^`]+)`\)/.exec(message)
    return { kind, table: m?.[1], constraint: m?.[2], column: m?.[3] }
  }
  const check = /(?:Check constraint '|CONSTRAINT `)([^'`]+)/.exec(message)?.[1]
  return { kind, constraint: check, table: /for `[^`]*`\.`([^`]+)`/.exec(message)?.[1] }
}

/** Fills the table and columns of a unique key MySQL names only by its index or constraint name. */
function resolveIndex(p: IntegrityParams): IntegrityParams {
  if (p.column !== undefined || p.constraint === undefined) return p
  if (p.constraint === "PRIMARY") return { ...p, column: "id" }
  for (const m of allModels()) {
    let meta: typeof m.meta
    try {
      meta = m.meta
    } catch {
      continue // a model whose relations cannot resolve is not the one that failed
    }
    if (p.table !== undefined && p.table !== meta.table) continue
    const ix = meta.indexes.find((i) => i.unique && i.name === p.constraint)
    if (ix) return { ...p, table: meta.table, column: ix.columns.join(", ") }
    const c = meta.constraints.find((x) => x.type === "unique" && x.name === p.constraint)
    if (c?.type === "unique") {
      const column = c.fields.map((f) => meta.findColumn(f)?.column ?? f).join(", ")
      return { ...p, table: meta.table, column }
    }
  }
  return p
}

/** The integrity params of a driver error, or undefined when it is no constraint violation. */
export function integrityParams(err: unknown): IntegrityParams | undefined {
  if (typeof err !== "object" || err === null) return undefined
  const e = err as DriverError
  const message = typeof e.message === "string" ? e.message : ""
  if (typeof e.code === "string") {
    const pg = PG[e.code]
    if (pg) return fromPostgres(pg, e)
    const lite = SQLITE[e.code]
    if (lite) return fromSqlite(lite, message)
    // An ON DELETE RESTRICT foreign key fails as a trigger would.
    if (e.code === "SQLITE_CONSTRAINT_TRIGGER" && message.startsWith("FOREIGN KEY constraint"))
      return { kind: "foreignKey" }
  }
  const my = typeof e.errno === "number" ? MYSQL[e.errno] : undefined
  return my ? resolveIndex(fromMysql(my, message)) : undefined
}

/**
 * Maps a driver's constraint violation to `TRUSS_ERR_ORM_INTEGRITY` (the driver error
 * kept as `cause`); returns any other error unchanged.
 */
export function toIntegrityError(err: unknown): unknown {
  if (isConnectionLost(err))
    return ormErrors.UNAVAILABLE(undefined, {
      cause: err,
      expose: true,
      headers: { "retry-after": "1" },
    })
  const p = integrityParams(err)
  if (p === undefined) return err
  const extensions: Record<string, string> = { kind: p.kind }
  for (const k of ["table", "column", "constraint"] as const) {
    const v = p[k]
    if (v !== undefined) extensions[k] = v
  }
  return ormErrors.INTEGRITY(p, { cause: err, extensions }) satisfies TrussError
}
