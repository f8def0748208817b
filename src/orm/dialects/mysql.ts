import type { FieldKind } from "../fields/field.js"
import {
  baseDecoders,
  type ColumnType,
  escapeLike,
  type LikeLookup,
  likeWrap,
  type SqlDialect,
  varcharLength,
} from "./dialect.js"

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

/**
 * MySQL and MariaDB: backtick identifiers, `?` placeholders; `LIKE BINARY` for
 * case-sensitive matching because the default collations are case-insensitive.
 */
export function mysqlDialect(mariadb: boolean): SqlDialect {
  return Object.freeze({
    name: "mysql",
    insertReturning: mariadb,
    transactionalDdl: false,
    quote: (id: string) => `\`${id.includes("`") ? id.replace(/`/g, "``") : id}\``,
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
  })
}
