/**
 * Reading a PostgreSQL schema back: indexes from pg_catalog, the current schema,
 * and the type names PostgreSQL reports.
 * @module
 */
import type { FieldKind } from "../../fields/field.js"
import type { IndexColumnRow, Introspection, RunSql } from "../dialect.js"

const PG_TYPES: Partial<Record<FieldKind, string>> = {
  id: "int8",
  bigint: "int8",
  integer: "int4",
  float: "float8",
  decimal: "numeric",
  boolean: "bool",
  text: "text",
  uuid: "uuid",
  uuidId: "uuid",
  date: "date",
  datetime: "timestamptz",
  time: "time",
  json: "jsonb",
  binary: "bytea",
}
async function indexRows(run: RunSql, table: string): Promise<readonly IndexColumnRow[]> {
  const { rows } = await run(
    `SELECT i.relname AS name, ix.indisunique AS uniq, a.attname AS col, array_position(ix.indkey::int2[], a.attnum) AS pos
         FROM pg_class t JOIN pg_index ix ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema() AND t.relname = $1 AND NOT ix.indisprimary`,
    [table],
  )
  return rows as unknown as IndexColumnRow[]
}

/** PostgreSQL introspection. */
export const postgresIntrospection: Introspection = Object.freeze({
  indexRows,
  currentSchemaSql: "SELECT current_schema() AS s",
  reportedType: (kind: FieldKind) => PG_TYPES[kind] ?? "varchar",
  isImplicitIndex: () => false,
})
