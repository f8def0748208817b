import type { QueryResult } from "kysely"
import type { FieldKind } from "../../fields/field.js"
import {
  baseDecoders,
  type ColumnType,
  escapeLike,
  type LikeLookup,
  likeWrap,
  numericBoolean,
  quoteString,
  type SqlDialect,
  type UpsertTarget,
  varcharLength,
} from "../dialect.js"
import { mysqlIntrospection } from "./introspect.js"

/** The migration lock name, scoped to the database being migrated. */
export const MYSQL_LOCK = "CONCAT('truss_migrate:', DATABASE())"

function encode(kind: FieldKind, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (kind === "json") return JSON.stringify(v)
  if (typeof v === "boolean") return v ? 1 : 0
  if (typeof v === "bigint") return v.toString()
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v)
  return v
}

function columnType(col: ColumnType): string {
  switch (col.kind) {
    case "id":
    case "bigint":
      return "BIGINT"
    case "integer":
      return "INT"
    case "float":
      return "DOUBLE"
    case "decimal":
      return `DECIMAL(${col.precision ?? 12}, ${col.scale ?? 2})`
    case "boolean":
      return "TINYINT(1)"
    case "text":
      return "LONGTEXT"
    case "uuid":
    case "uuidId":
      return "CHAR(36)"
    case "date":
      return "DATE"
    case "datetime":
      return "DATETIME(3)"
    case "time":
      return "TIME"
    case "json":
      return "JSON"
    case "binary":
      return "LONGBLOB"
    default:
      return `VARCHAR(${varcharLength(col)})`
  }
}

/** What the ORM needs to know about a MySQL or MariaDB server. */
export interface MysqlServer {
  /** INSERT … RETURNING is available: MariaDB 10.5 and later (MySQL has none). */
  readonly returning: boolean
  /** See {@link SqlDialect.autoIdStep}. */
  readonly autoIdStep: number
}

/** The statement whose one row {@link mysqlServer} reads. */
export const MYSQL_SERVER_SQL =
  "SELECT VERSION() AS v, @@innodb_autoinc_lock_mode AS m, @@auto_increment_increment AS s"

/** Reads the server's RETURNING support and auto-id allocation from {@link MYSQL_SERVER_SQL}. */
export function mysqlServer(row: Record<string, unknown> | undefined): MysqlServer {
  const version = String(row?.v ?? "")
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number)
  const returning = /mariadb/i.test(version) && (major > 10 || (major === 10 && minor >= 5))
  // Only lock modes 0 and 1 give one multi-row INSERT a consecutive block of ids.
  const consecutive = Number(row?.m) === 0 || Number(row?.m) === 1
  const step = Number(row?.s ?? 1)
  return { returning, autoIdStep: consecutive && step >= 1 ? step : 0 }
}

/**
 * MySQL and MariaDB: backtick identifiers, `?` placeholders; `LIKE BINARY` for
 * case-sensitive matching because the default collations are case-insensitive.
 */
export function mysqlDialect(server: MysqlServer): SqlDialect {
  const quote = (id: string) => `\`${id.includes("`") ? id.replace(/`/g, "``") : id}\``
  return Object.freeze({
    name: "mysql",
    insertReturning: server.returning,
    autoIdStep: server.autoIdStep,
    transactionalDdl: false,
    quote,
    placeholder: () => "?",
    like(column: string, lookup: LikeLookup, param: string): string {
      return `${column} ${lookup === "icontains" ? "LIKE" : "LIKE BINARY"} ${param}`
    },
    likePattern: (lookup: LikeLookup, value: string) => likeWrap(lookup, escapeLike(value)),
    limitOffset(limit: number | undefined, offset: number | undefined): string {
      if (limit === undefined && offset === undefined) return ""
      const l = ` LIMIT ${limit ?? "18446744073709551615"}`
      return offset ? `${l} OFFSET ${offset}` : l
    },
    orderTerm(expr: string, desc: boolean, nulls: "first" | "last" | undefined): string {
      const dir = desc ? " DESC" : " ASC"
      // MySQL sorts NULL first ascending; emulate explicit placement with an IS NULL key.
      if (!nulls) return `${expr}${dir}`
      return `${expr} IS NULL ${nulls === "first" ? "DESC" : "ASC"}, ${expr}${dir}`
    },
    encode,
    decoders: baseDecoders("parse"),
    columnType,
    autoIdDdl: "BIGINT AUTO_INCREMENT PRIMARY KEY",
    booleanLiteral: numericBoolean,
    // MySQL also treats a backslash in a string literal as an escape
    stringLiteral: (value: string) => quoteString(value).replace(/\\/g, "\\\\"),
    beginTransaction: (level: string | undefined) =>
      level ? [`SET TRANSACTION ISOLATION LEVEL ${level}`, "BEGIN"] : ["BEGIN"],
    introspection: mysqlIntrospection,
    autoIdRow: "(DEFAULT)" as const,
    decimalsAsText: false,
    updateFromValues: false,
    wrapsTargetSubquery: true,
    upsertClause(t: UpsertTarget): string {
      const sets = t.update.map((c) => `${c} = VALUES(${c})`)
      // Without RETURNING, LAST_INSERT_ID(id) makes the insert id name an updated row too;
      // with nothing to change, a no-op assignment still makes RETURNING report the row.
      if (!server.returning && t.autoId) sets.push(`${t.autoId} = LAST_INSERT_ID(${t.autoId})`)
      else if (sets.length === 0) sets.push(`${quote("id")} = ${quote("id")}`)
      return ` ON DUPLICATE KEY UPDATE ${sets.join(", ")}`
    },
    ddl: {
      rebuildsTables: false,
      dropIndexOnTable: true,
      dropForeignKey: "FOREIGN KEY" as const,
      dropColumnDependentsFirst: true,
      modifyColumn: true,
    },
    migrationLock: () => ({
      tryLock: `SELECT GET_LOCK(${MYSQL_LOCK}, 0) AS ok`,
      tryLockParams: () => [],
      acquired: (r: QueryResult<Record<string, unknown>>) => Number(r.rows[0]?.ok) === 1,
      release: `SELECT RELEASE_LOCK(${MYSQL_LOCK})`,
    }),
  })
}
