/**
 * Migration operations: plain objects written into migration files, applied to a
 * schema state and reversed from the state before them.
 * @module
 */

import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { CheckState, ColumnState, IndexState, SchemaState, TableState } from "./state.js"

/**
 * A schema or data change. Migration files hold arrays of these.
 * @example
 * ```ts
 * import type { Operation } from "truss/orm"
 * const op: Operation = { op: "addColumn", table: "note", column: { name: "done", kind: "boolean", default: false } }
 * ```
 */
export type Operation =
  | {
      readonly op: "createTable"
      readonly table: string
      readonly columns: readonly ColumnState[]
      readonly checks?: readonly CheckState[]
    }
  | { readonly op: "dropTable"; readonly table: string }
  | { readonly op: "addColumn"; readonly table: string; readonly column: ColumnState }
  | { readonly op: "dropColumn"; readonly table: string; readonly column: string }
  | { readonly op: "alterColumn"; readonly table: string; readonly column: ColumnState }
  | {
      readonly op: "renameColumn"
      readonly table: string
      readonly from: string
      readonly to: string
    }
  | { readonly op: "addIndex"; readonly table: string; readonly index: IndexState }
  | { readonly op: "dropIndex"; readonly table: string; readonly name: string }
  | { readonly op: "addCheck"; readonly table: string; readonly check: CheckState }
  | { readonly op: "dropCheck"; readonly table: string; readonly name: string }
  | {
      readonly op: "runSql"
      readonly forward: readonly string[]
      readonly backward?: readonly string[]
    }
  | {
      readonly op: "runJs"
      readonly forward: (db: Executor) => Promise<void>
      readonly backward?: (db: Executor) => Promise<void>
    }

/**
 * A migration file's default export.
 *
 * @example
 * ```ts
 * import type { Migration } from "truss/orm"
 * export default {
 *   dependencies: [],
 *   operations: [{ op: "createTable", table: "tag", columns: [{ name: "id", kind: "id", primaryKey: true }] }],
 * } satisfies Migration
 * ```
 */
export interface Migration {
  /** Migrations that must run first (the previous file). */
  readonly dependencies: readonly string[]
  /** The changes, in order. */
  readonly operations: readonly Operation[]
  /** Set false to run outside a transaction (e.g. CREATE INDEX CONCURRENTLY). @default true */
  readonly atomic?: boolean
}

function table(state: SchemaState, name: string): TableState {
  const t = state[name]
  if (!t) throw ormErrors.INVALID_QUERY({ reason: `migration refers to unknown table "${name}"` })
  return t
}

function column(t: TableState, name: string): ColumnState {
  const c = t.columns.find((x) => x.name === name)
  if (!c)
    throw ormErrors.INVALID_QUERY({
      reason: `migration refers to unknown column "${t.name}.${name}"`,
    })
  return c
}

function put(state: SchemaState, t: TableState): SchemaState {
  return { ...state, [t.name]: t }
}

/** Applies an operation to a schema state (pure). */
export function applyOperation(state: SchemaState, o: Operation): SchemaState {
  switch (o.op) {
    case "createTable":
      return put(state, { name: o.table, columns: o.columns, indexes: [], checks: o.checks ?? [] })
    case "dropTable": {
      const { [o.table]: _dropped, ...rest } = state
      return rest
    }
    case "runSql":
    case "runJs":
      return state
  }
  const t = table(state, o.table)
  switch (o.op) {
    case "addColumn":
      return put(state, { ...t, columns: [...t.columns, o.column] })
    case "dropColumn":
      column(t, o.column)
      return put(state, {
        ...t,
        columns: t.columns.filter((c) => c.name !== o.column),
        indexes: t.indexes.filter((i) => !i.columns.includes(o.column)),
      })
    case "alterColumn":
      column(t, o.column.name)
      return put(state, {
        ...t,
        columns: t.columns.map((c) => (c.name === o.column.name ? o.column : c)),
      })
    case "renameColumn":
      column(t, o.from)
      return put(state, {
        ...t,
        columns: t.columns.map((c) => (c.name === o.from ? { ...c, name: o.to } : c)),
        indexes: t.indexes.map((i) => ({
          ...i,
          columns: i.columns.map((c) => (c === o.from ? o.to : c)),
        })),
      })
    case "addIndex":
      return put(state, { ...t, indexes: [...t.indexes, o.index] })
    case "dropIndex":
      return put(state, { ...t, indexes: t.indexes.filter((i) => i.name !== o.name) })
    case "addCheck":
      return put(state, { ...t, checks: [...t.checks, o.check] })
    case "dropCheck":
      return put(state, { ...t, checks: t.checks.filter((c) => c.name !== o.name) })
  }
}

/** The operations that undo `o`, given the state before it. */
export function reverseOperation(before: SchemaState, o: Operation): Operation[] {
  switch (o.op) {
    case "createTable":
      return [{ op: "dropTable", table: o.table }]
    case "dropTable": {
      const t = table(before, o.table)
      return [
        { op: "createTable", table: t.name, columns: t.columns, checks: t.checks },
        ...t.indexes.map((index): Operation => ({ op: "addIndex", table: t.name, index })),
      ]
    }
    case "addColumn":
      return [{ op: "dropColumn", table: o.table, column: o.column.name }]
    case "dropColumn": {
      const t = table(before, o.table)
      const idx = t.indexes.filter((i) => i.columns.includes(o.column))
      return [
        { op: "addColumn", table: o.table, column: column(t, o.column) },
        ...idx.map((index): Operation => ({ op: "addIndex", table: o.table, index })),
      ]
    }
    case "alterColumn":
      return [
        {
          op: "alterColumn",
          table: o.table,
          column: column(table(before, o.table), o.column.name),
        },
      ]
    case "renameColumn":
      return [{ op: "renameColumn", table: o.table, from: o.to, to: o.from }]
    case "addIndex":
      return [{ op: "dropIndex", table: o.table, name: o.index.name }]
    case "dropIndex": {
      const index = table(before, o.table).indexes.find((i) => i.name === o.name)
      if (!index) throw ormErrors.INVALID_QUERY({ reason: `unknown index "${o.name}"` })
      return [{ op: "addIndex", table: o.table, index }]
    }
    case "addCheck":
      return [{ op: "dropCheck", table: o.table, name: o.check.name }]
    case "dropCheck": {
      const check = table(before, o.table).checks.find((c) => c.name === o.name)
      if (!check) throw ormErrors.INVALID_QUERY({ reason: `unknown check "${o.name}"` })
      return [{ op: "addCheck", table: o.table, check }]
    }
    case "runSql":
      if (!o.backward) throw irreversible("runSql")
      return [{ op: "runSql", forward: o.backward, backward: o.forward }]
    case "runJs":
      if (!o.backward) throw irreversible("runJs")
      return [{ op: "runJs", forward: o.backward, backward: o.forward }]
  }
}

function irreversible(what: string): Error {
  return ormErrors.INVALID_QUERY({
    reason: `this ${what} operation has no backward step, so it cannot be rolled back; add one`,
  })
}
