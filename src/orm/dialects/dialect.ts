/**
 * The per-database pieces the ORM needs beyond Kysely: identifier quoting,
 * placeholders, value encoding/decoding, LIKE flavours and DDL types.
 * @module
 */
import type { QueryResult } from "kysely"
import type { FieldKind } from "../fields/field.js"

/** The databases Truss supports. */
export type DialectName = "sqlite" | "postgres" | "mysql"

/** A LIKE-family lookup. */
export type LikeLookup = "contains" | "icontains" | "startsWith" | "endsWith"

/** What differs between SQLite, PostgreSQL and MySQL/MariaDB. */
export interface SqlDialect {
  readonly name: DialectName
  /**
   * Whether INSERT … RETURNING is used (PostgreSQL, SQLite, MariaDB ≥ 10.5; never on
   * MySQL, or with `connect(url, { returning: false })`).
   */
  readonly insertReturning: boolean
  /**
   * Without RETURNING: the gap between the auto ids of one multi-row INSERT
   * (`auto_increment_increment`) when the server makes them consecutive
   * (`innodb_autoinc_lock_mode` 0 or 1); 0 when it does not (mode 2, MySQL 8's default),
   * so such rows are inserted one statement each.
   */
  readonly autoIdStep: number
  /** Whether DDL runs inside transactions (PostgreSQL, SQLite). */
  readonly transactionalDdl: boolean
  /** Quotes an identifier. */
  quote(identifier: string): string
  /** The placeholder of the n-th (1-based) parameter. */
  placeholder(n: number): string
  /** SQL for a LIKE-family lookup; `param` is the placeholder of the pattern. */
  like(column: string, lookup: LikeLookup, param: string): string
  /** The pattern to bind for a LIKE-family lookup. */
  likePattern(lookup: LikeLookup, value: string): string
  /** `LIMIT/OFFSET` clause (limit and offset are validated integers). */
  limitOffset(limit: number | undefined, offset: number | undefined): string
  /** ORDER BY term with explicit nulls placement. */
  orderTerm(expr: string, desc: boolean, nulls: "first" | "last" | undefined): string
  /** Converts a JS value to a driver parameter. */
  encode(kind: FieldKind, value: unknown): unknown
  /** Per-kind decoders from driver values (never called with null). */
  readonly decoders: Readonly<Record<FieldKind, (value: unknown) => unknown>>
  /** The column type in DDL. */
  columnType(col: ColumnType): string
  /** The DDL of an auto-increment primary key column (without the name). */
  readonly autoIdDdl: string
  /** A boolean as a DDL literal (column defaults). */
  booleanLiteral(value: boolean): string
  /** A string as a quoted DDL literal (column defaults). */
  stringLiteral(value: string): string
  /** The statements that open a transaction, at `level` (upper case) when given. */
  beginTransaction(level: string | undefined): readonly string[]
  /** How `migrate` keeps two runs apart; `table` is the lock table where one is needed. */
  migrationLock(table: string): MigrationLock
  /**
   * Statements around applying one migration, and the query whose rows are the foreign
   * keys it left dangling (SQLite turns foreign keys off to rebuild tables).
   */
  readonly migrationGuard?: MigrationGuard
  /** How the live schema is read back (`schemaDifferences`). */
  readonly introspection: Introspection
  /** How ALTER statements differ. */
  readonly ddl: DdlFlavour
  /** The VALUES tuple of a row that has only its automatic key. */
  readonly autoIdRow: "(NULL)" | "(DEFAULT)"
  /** Whether decimals are kept as text and compared as `CAST(… AS REAL)` (SQLite). */
  readonly decimalsAsText: boolean
  /** Whether bulkUpdate sends all rows in one `UPDATE … FROM (VALUES …)` (PostgreSQL). */
  readonly updateFromValues: boolean
  /**
   * Whether an UPDATE or DELETE that filters through `id IN (SELECT …)` must wrap that
   * subquery in a derived table (MySQL cannot select from the table it modifies).
   */
  readonly wrapsTargetSubquery: boolean
  /** The clause after an INSERT that makes it an upsert (see {@link UpsertTarget}). */
  upsertClause(target: UpsertTarget): string
}

/** What an upsert conflicts on and changes, as quoted column names. */
export interface UpsertTarget {
  /** The unique columns a conflicting row shares (ignored by MySQL's ON DUPLICATE KEY). */
  readonly conflict: readonly string[]
  /** The columns a conflicting row takes from the new one. */
  readonly update: readonly string[]
  /** The quoted name of the table's automatic integer key, if it has one. */
  readonly autoId: string | undefined
}

/** `ON CONFLICT (…) DO UPDATE SET … = excluded.…` (PostgreSQL and SQLite). */
export function onConflictClause(t: UpsertTarget, quote: (name: string) => string): string {
  const target = t.conflict.join(", ")
  if (t.update.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`
  const sets = t.update.map((c) => `${c} = ${quote("excluded")}.${c}`)
  return ` ON CONFLICT (${target}) DO UPDATE SET ${sets.join(", ")}`
}

/** Where the ALTER TABLE dialects part ways. */
export interface DdlFlavour {
  /** Most ALTERs rebuild the table (SQLite): only nullable or defaulted plain ADD COLUMN does not. */
  readonly rebuildsTables: boolean
  /** DROP INDEX needs `ON <table>` (MySQL). */
  readonly dropIndexOnTable: boolean
  /** The keyword before a foreign key's name in ALTER TABLE … DROP. */
  readonly dropForeignKey: "FOREIGN KEY" | "CONSTRAINT"
  /** A column's foreign key and indexes must go before the column (MySQL). */
  readonly dropColumnDependentsFirst: boolean
  /** A column is altered in one MODIFY COLUMN with its whole definition (MySQL). */
  readonly modifyColumn: boolean
}

/** Runs one statement (an executor's `run`). */
export type RunSql = (
  sql: string,
  parameters: readonly unknown[],
) => Promise<QueryResult<Record<string, unknown>>>

/** One column of one index, as the database lists it. */
export interface IndexColumnRow {
  readonly name: unknown
  readonly uniq: unknown
  readonly col: unknown
  readonly pos: unknown
}

/** The per-database parts of reading the live schema back. */
export interface Introspection {
  /** The non-primary indexes of `table`, one row per column. */
  indexRows(run: RunSql, table: string): Promise<readonly IndexColumnRow[]>
  /** The SQL that names the schema the connection works in, where there are several. */
  readonly currentSchemaSql?: string
  /** The type the database reports for a column of `kind` declared as `ddlType`. */
  reportedType(kind: FieldKind, ddlType: string): string
  /** Whether an index is one the database made itself (left out of comparisons). */
  isImplicitIndex(name: string): boolean
}

/** The SQL of the migration lock on one database. */
export interface MigrationLock {
  /** Run once before trying the lock. */
  readonly setup?: string
  /** Tries the lock without waiting. */
  readonly tryLock: string
  /** Parameters of `tryLock`, made fresh for each try. */
  tryLockParams(): unknown[]
  /** Whether the result of `tryLock` means the lock is held now. */
  acquired(result: QueryResult<Record<string, unknown>>): boolean
  /** Releases the lock. */
  readonly release: string
}

/** What runs before, after and at the end of one migration. */
export interface MigrationGuard {
  readonly before: string
  readonly after: string
  readonly danglingForeignKeys: string
}

/** A string literal with single quotes doubled (standard SQL). */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** A boolean as 1 or 0, for databases without a boolean literal in DDL. */
export function numericBoolean(value: boolean): string {
  return value ? "1" : "0"
}

/** Escapes LIKE wildcards with a backslash. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Wraps an escaped value for a LIKE-family lookup. */
export function likeWrap(lookup: LikeLookup, escaped: string): string {
  if (lookup === "startsWith") return `${escaped}%`
  if (lookup === "endsWith") return `%${escaped}`
  return `%${escaped}%`
}

const toNumber = (v: unknown): unknown => (typeof v === "number" ? v : Number(v))
const identity = (v: unknown): unknown => v
const toBool = (v: unknown): unknown => (typeof v === "boolean" ? v : Number(v) !== 0)
const toBigint = (v: unknown): unknown => (typeof v === "bigint" ? v : BigInt(v as string))
const toDate = (v: unknown): unknown => (v instanceof Date ? v : new Date(v as string))
const asText = (v: unknown): unknown => (typeof v === "string" ? v : String(v))
const parseJson = (v: unknown): unknown =>
  typeof v === "string" ? JSON.parse(v) : Buffer.isBuffer(v) ? JSON.parse(v.toString()) : v
const toBuffer = (v: unknown): unknown => (v instanceof Uint8Array ? v : Buffer.from(v as string))

/** Decoders shared by all dialects; each dialect overrides what its driver needs. */
export function baseDecoders(
  json: "parse" | "identity",
): Record<FieldKind, (value: unknown) => unknown> {
  return {
    id: toNumber,
    uuidId: identity,
    integer: toNumber,
    bigint: toBigint,
    float: toNumber,
    decimal: asText,
    boolean: toBool,
    string: identity,
    text: identity,
    email: identity,
    url: identity,
    slug: identity,
    uuid: identity,
    date: asText,
    datetime: toDate,
    time: asText,
    json: json === "parse" ? parseJson : identity,
    enum: identity,
    binary: toBuffer,
  }
}

/** What decides a column's DDL type. */
export interface ColumnType {
  readonly kind: FieldKind
  readonly max?: number
  readonly precision?: number
  readonly scale?: number
}

/** Max length used for VARCHAR columns of string-like kinds. */
export function varcharLength(col: ColumnType): number {
  return typeof col.max === "number" ? col.max : 255
}
