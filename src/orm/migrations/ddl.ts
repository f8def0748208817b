/**
 * DDL for migration operations on each dialect, including SQLite's table rebuild for
 * the changes ALTER TABLE cannot make there.
 * @module
 */
import { createHash } from "node:crypto"
import type { SqlDialect } from "../dialects/dialect.js"
import type { OnDelete } from "../fields/relations.js"
import type { Operation } from "./operations.js"
import { applyOperation } from "./operations.js"
import {
  type ColumnState,
  type DefaultLiteral,
  type IndexState,
  type SchemaState,
  sameShape,
  type TableState,
} from "./state.js"

const ON_DELETE: Record<OnDelete, string> = {
  cascade: "CASCADE",
  setNull: "SET NULL",
  restrict: "RESTRICT",
  protect: "RESTRICT",
  noAction: "NO ACTION",
}

/** Shortens long constraint names to fit every database (63 characters on PostgreSQL). */
export function constraintName(name: string): string {
  if (name.length <= 60) return name
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8)
  return `${name.slice(0, 51)}_${hash}`
}

/** The name Truss gives a foreign-key constraint. */
export function fkName(table: string, column: string): string {
  return constraintName(`${table}_${column}_fk`)
}

/** A DDL literal for a column default. */
export function literal(d: SqlDialect, v: DefaultLiteral): string {
  if (typeof v === "boolean") return d.booleanLiteral(v)
  if (typeof v === "number") return String(v)
  return d.stringLiteral(v)
}

/** The definition of one column in CREATE TABLE or ADD COLUMN. */
export function columnDdl(d: SqlDialect, c: ColumnState): string {
  const name = d.quote(c.name)
  if (c.primaryKey && c.kind === "id") return `${name} ${d.autoIdDdl}`
  let out = `${name} ${d.columnType(c)}`
  if (c.primaryKey) return `${out} NOT NULL PRIMARY KEY`
  out += c.null ? " NULL" : " NOT NULL"
  if (c.default !== undefined) out += ` DEFAULT ${literal(d, c.default)}`
  return out
}

function fkDdl(d: SqlDialect, table: string, c: ColumnState): string {
  const ref = c.references
  if (!ref) return ""
  const q = d.quote
  return `CONSTRAINT ${q(fkName(table, c.name))} FOREIGN KEY (${q(c.name)}) REFERENCES ${q(ref.table)} (${q("id")}) ON DELETE ${ON_DELETE[ref.onDelete]}`
}

/** `CREATE TABLE` with columns, foreign keys and checks (indexes are separate). */
export function createTableSql(d: SqlDialect, t: TableState, as = t.name): string {
  const q = d.quote
  const parts = t.columns.map((c) => columnDdl(d, c))
  for (const c of t.columns) if (c.references) parts.push(fkDdl(d, t.name, c))
  for (const ck of t.checks) parts.push(`CONSTRAINT ${q(ck.name)} CHECK (${ck.check})`)
  return `CREATE TABLE ${q(as)} (${parts.join(", ")})`
}

/** `CREATE [UNIQUE] INDEX`. */
export function createIndexSql(d: SqlDialect, table: string, ix: IndexState): string {
  const q = d.quote
  const cols = ix.columns.map((c) => q(c)).join(", ")
  return `CREATE ${ix.unique ? "UNIQUE " : ""}INDEX ${q(constraintName(ix.name))} ON ${q(table)} (${cols})`
}

function dropIndexSql(d: SqlDialect, table: string, name: string): string {
  const q = d.quote
  return d.ddl.dropIndexOnTable
    ? `DROP INDEX ${q(constraintName(name))} ON ${q(table)}`
    : `DROP INDEX ${q(constraintName(name))}`
}

/** SQLite's documented 12-step rebuild, reduced: copy into a new table, swap, re-index. */
function rebuild(d: SqlDialect, before: TableState, after: TableState): string[] {
  const q = d.quote
  const tmp = `truss_new_${after.name}`
  const common = after.columns
    .filter((c) => before.columns.some((b) => b.name === c.name))
    .map((c) => q(c.name))
    .join(", ")
  return [
    createTableSql(d, after, tmp),
    `INSERT INTO ${q(tmp)} (${common}) SELECT ${common} FROM ${q(before.name)}`,
    `DROP TABLE ${q(before.name)}`,
    `ALTER TABLE ${q(tmp)} RENAME TO ${q(after.name)}`,
    ...after.indexes.map((ix) => createIndexSql(d, after.name, ix)),
  ]
}

function get(state: SchemaState, name: string): TableState {
  const t = state[name]
  if (!t) throw new Error(`unknown table ${name}`)
  return t
}

/** The SQL statements of one operation on one dialect (empty for runJs). */
export function operationSql(d: SqlDialect, before: SchemaState, o: Operation): string[] {
  const q = d.quote
  switch (o.op) {
    case "createTable":
      return [
        createTableSql(d, {
          name: o.table,
          columns: o.columns,
          indexes: [],
          checks: o.checks ?? [],
        }),
      ]
    case "dropTable":
      return [`DROP TABLE ${q(o.table)}`]
    case "runSql":
      return [...o.forward]
    case "runJs":
      return []
    case "addIndex":
      return [createIndexSql(d, o.table, o.index)]
    case "dropIndex":
      return [dropIndexSql(d, o.table, o.name)]
    case "renameColumn":
      return [`ALTER TABLE ${q(o.table)} RENAME COLUMN ${q(o.from)} TO ${q(o.to)}`]
  }
  const t = get(before, o.table)
  const after = get(applyOperation(before, o), o.table)
  const fill = o.op === "alterColumn" ? fillNulls(d, o.table, t, o.column) : []
  if (d.ddl.rebuildsTables) {
    const simpleAdd =
      o.op === "addColumn" &&
      !o.column.references &&
      (o.column.null || o.column.default !== undefined)
    if (!simpleAdd) return [...fill, ...rebuild(d, t, after)]
  }
  const alter = `ALTER TABLE ${q(o.table)}`
  switch (o.op) {
    case "addColumn": {
      const out = [`${alter} ADD COLUMN ${columnDdl(d, o.column)}`]
      if (o.column.references) out.push(`${alter} ADD ${fkDdl(d, o.table, o.column)}`)
      return out
    }
    case "dropColumn": {
      const col = t.columns.find((c) => c.name === o.column)
      const out: string[] = []
      if (d.ddl.dropColumnDependentsFirst && col?.references)
        out.push(`${alter} DROP FOREIGN KEY ${q(fkName(o.table, o.column))}`)
      if (d.ddl.dropColumnDependentsFirst) {
        for (const ix of t.indexes)
          if (ix.columns.includes(o.column)) out.push(dropIndexSql(d, o.table, ix.name))
      }
      out.push(`${alter} DROP COLUMN ${q(o.column)}`)
      return out
    }
    case "alterColumn":
      return fill.concat(
        alterColumn(
          d,
          o.table,
          t.columns.find((c) => c.name === o.column.name),
          o.column,
        ),
      )
    case "addCheck":
      return [`${alter} ADD CONSTRAINT ${q(o.check.name)} CHECK (${o.check.check})`]
    case "dropCheck":
      return [`${alter} DROP CONSTRAINT ${q(o.name)}`]
  }
}

/**
 * A column that becomes NOT NULL with a default first gets that default in the rows
 * where it is NULL, as Django does; otherwise the ALTER (or SQLite's copy) fails.
 */
function fillNulls(d: SqlDialect, table: string, t: TableState, to: ColumnState): string[] {
  const from = t.columns.find((c) => c.name === to.name)
  if (!from?.null || to.null || to.default === undefined) return []
  const col = d.quote(to.name)
  return [`UPDATE ${d.quote(table)} SET ${col} = ${literal(d, to.default)} WHERE ${col} IS NULL`]
}

function alterColumn(
  d: SqlDialect,
  table: string,
  from: ColumnState | undefined,
  to: ColumnState,
): string[] {
  const q = d.quote
  const alter = `ALTER TABLE ${q(table)}`
  const out: string[] = []
  const fkChanged = !sameShape(from?.references, to.references)
  if (fkChanged && from?.references) {
    out.push(`${alter} DROP ${d.ddl.dropForeignKey} ${q(fkName(table, to.name))}`)
  }
  if (d.ddl.modifyColumn) out.push(`${alter} MODIFY COLUMN ${columnDdl(d, to)}`)
  else {
    const col = `${alter} ALTER COLUMN ${q(to.name)}`
    const type = d.columnType(to)
    if (!from || d.columnType(from) !== type)
      out.push(`${col} TYPE ${type} USING ${q(to.name)}::${type}`)
    if (!!from?.null !== !!to.null) out.push(`${col} ${to.null ? "DROP" : "SET"} NOT NULL`)
    if (from?.default !== to.default) {
      out.push(
        to.default === undefined
          ? `${col} DROP DEFAULT`
          : `${col} SET DEFAULT ${literal(d, to.default)}`,
      )
    }
  }
  if (fkChanged && to.references) out.push(`${alter} ADD ${fkDdl(d, table, to)}`)
  return out
}
