/**
 * Reading a MySQL/MariaDB schema back: indexes from information_schema and the type
 * names the server reports.
 * @module
 */
import type { FieldKind } from "../../fields/field.js"
import type { IndexColumnRow, Introspection, RunSql } from "../dialect.js"

const MYSQL_TYPES: Partial<Record<FieldKind, string>> = {
  id: "bigint",
  bigint: "bigint",
  integer: "int",
  float: "double",
  decimal: "decimal",
  boolean: "tinyint",
  text: "longtext",
  uuid: "char",
  uuidId: "char",
  date: "date",
  datetime: "datetime",
  time: "time",
  json: "longtext",
  binary: "longblob",
}

async function indexRows(run: RunSql, table: string): Promise<readonly IndexColumnRow[]> {
  const { rows } = await run(
    `SELECT INDEX_NAME AS name, NON_UNIQUE = 0 AS uniq, COLUMN_NAME AS col, SEQ_IN_INDEX AS pos
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'`,
    [table],
  )
  return rows as unknown as IndexColumnRow[]
}

/** MySQL/MariaDB introspection. */
export const mysqlIntrospection: Introspection = Object.freeze({
  indexRows,
  reportedType: (kind: FieldKind) => MYSQL_TYPES[kind] ?? "varchar",
  // MySQL adds its own index for each foreign key constraint.
  isImplicitIndex: (name: string) => name.endsWith("_fk"),
})
