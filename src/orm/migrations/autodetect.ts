/**
 * Diffs two schema states into migration operations (the heart of makemigrations).
 * @module
 */
import { ormErrors } from "../errors.js"
import type { Operation } from "./operations.js"
import { type ColumnState, type SchemaState, sameShape, type TableState } from "./state.js"

/** How to resolve a removed + added column pair of the same type. */
export interface RenameOptions {
  /** Confirmed renames as `table.from=to`. */
  renames?: readonly string[]
  /** Pairs answered "not a rename" as `table.from=to`: dropped and added, not asked again. */
  declined?: readonly string[]
  /** Treat every such pair as drop + add without asking. @default false */
  noRename?: boolean
}

/** Orders tables so referenced tables are created first. */
function byDependency(tables: TableState[]): TableState[] {
  const names = new Set(tables.map((t) => t.name))
  const done = new Set<string>()
  const out: TableState[] = []
  const visit = (t: TableState, path: Set<string>): void => {
    if (done.has(t.name) || path.has(t.name)) return
    path.add(t.name)
    for (const c of t.columns) {
      const ref = c.references?.table
      const dep =
        ref && ref !== t.name && names.has(ref) ? tables.find((x) => x.name === ref) : undefined
      if (dep) visit(dep, path)
    }
    done.add(t.name)
    out.push(t)
  }
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(t, new Set())
  return out
}

function sameType(a: ColumnState, b: ColumnState): boolean {
  return sameShape({ ...a, name: "" }, { ...b, name: "" })
}

/** The operations that turn schema `from` into schema `to`. */
export function diffStates(
  from: SchemaState,
  to: SchemaState,
  options: RenameOptions = {},
): Operation[] {
  const creates: Operation[] = []
  const early: Operation[] = []
  const changes: Operation[] = []
  const late: Operation[] = []
  const added = Object.values(to).filter((t) => !from[t.name])
  for (const t of byDependency(added)) {
    creates.push({
      op: "createTable",
      table: t.name,
      columns: t.columns,
      ...(t.checks.length ? { checks: t.checks } : {}),
    })
    for (const index of t.indexes) creates.push({ op: "addIndex", table: t.name, index })
  }
  const removed = Object.values(from).filter((t) => !to[t.name])
  if (!options.noRename) refuseSilentTableRename(removed, added)
  for (const t of byDependency(removed).reverse()) late.push({ op: "dropTable", table: t.name })
  for (const t of Object.values(to)) {
    const old = from[t.name]
    if (old) diffTable(old, t, options, { early, changes, late })
  }
  return [...creates, ...early, ...changes, ...late]
}

/** A model rename looks like drop + create; dropping loses the rows, so ask first. */
function refuseSilentTableRename(removed: TableState[], added: TableState[]): void {
  const columns = (t: TableState) =>
    [...t.columns]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((c) => ({ ...c, references: undefined }))
  for (const gone of removed) {
    const twin = added.find((a) => sameShape(columns(a), columns(gone)))
    if (twin) throw ormErrors.MIGRATION_AMBIGUOUS_TABLE({ from: gone.name, to: twin.name })
  }
}

function diffTable(
  old: TableState,
  t: TableState,
  options: RenameOptions,
  out: { early: Operation[]; changes: Operation[]; late: Operation[] },
): void {
  const table = t.name
  let gone = old.columns.filter((c) => !t.columns.some((n) => n.name === c.name))
  let fresh = t.columns.filter((c) => !old.columns.some((o) => o.name === c.name))
  for (const a of [...fresh]) {
    const candidates = gone.filter((g) => sameType(g, a))
    const pair = `${table}.${candidates[0]?.name}=${a.name}`
    if (candidates.length !== 1 || options.noRename || options.declined?.includes(pair)) continue
    const confirmed = options.renames?.includes(pair)
    const from = candidates[0] as ColumnState
    if (!confirmed)
      throw ormErrors.MIGRATION_AMBIGUOUS_RENAME({ table, from: from.name, to: a.name })
    out.changes.push({ op: "renameColumn", table, from: from.name, to: a.name })
    gone = gone.filter((g) => g !== from)
    fresh = fresh.filter((f) => f !== a)
  }
  const renamed = new Map<string, string>()
  for (const o of out.changes)
    if (o.op === "renameColumn" && o.table === table) renamed.set(o.from, o.to)
  const oldIndexes = old.indexes.map((i) => ({
    ...i,
    columns: i.columns.map((c) => renamed.get(c) ?? c),
  }))
  for (const ix of oldIndexes) {
    const now = t.indexes.find((n) => n.name === ix.name)
    const dropsColumn = ix.columns.some((c) => gone.some((g) => g.name === c))
    if ((!now || !sameShape(now, ix)) && !dropsColumn)
      out.early.push({ op: "dropIndex", table, name: ix.name })
  }
  for (const c of fresh) out.changes.push({ op: "addColumn", table, column: c })
  for (const c of t.columns) {
    const before = old.columns.find((o) => o.name === c.name)
    if (before && !sameShape(before, c)) out.changes.push({ op: "alterColumn", table, column: c })
  }
  for (const ck of old.checks) {
    const now = t.checks.find((n) => n.name === ck.name)
    if (!now || !sameShape(now, ck)) out.early.push({ op: "dropCheck", table, name: ck.name })
  }
  for (const ck of t.checks) {
    const before = old.checks.find((o) => o.name === ck.name)
    if (!before || !sameShape(before, ck)) out.late.push({ op: "addCheck", table, check: ck })
  }
  for (const ix of t.indexes) {
    const before = oldIndexes.find((o) => o.name === ix.name)
    if (!before || !sameShape(before, ix)) out.late.push({ op: "addIndex", table, index: ix })
  }
  for (const c of gone) out.late.unshift({ op: "dropColumn", table, column: c.name })
}
