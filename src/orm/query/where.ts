/**
 * Compiles filter trees and expressions to parameterized SQL.
 * @module
 */
import type { LikeLookup } from "../dialects/dialect.js"
import { ormErrors } from "../errors.js"
import type { ColumnMeta, RelationMeta } from "../meta.js"
import { Expression, type ExprNode, type WhereNode } from "./expressions.js"
import { Scope } from "./scope.js"

/** A compiled condition; `compound` when it needs parentheses inside NOT/OR. */
interface Cond {
  sql: string
  compound: boolean
}

const TRUE: Cond = { sql: "1 = 1", compound: false }
const FALSE: Cond = { sql: "1 = 0", compound: false }

/** True for `{ … }` literals (lookups or nested relation filters), not Dates or arrays. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Compiles a list of ANDed conditions; returns "" when there is none. */
export function compileWhere(scope: Scope, nodes: readonly WhereNode[]): string {
  const parts: string[] = []
  for (const n of nodes) {
    const c = compileNode(scope, n)
    if (c === undefined) continue
    parts.push(nodes.length > 1 && c.compound ? `(${c.sql})` : c.sql)
  }
  return parts.join(" AND ")
}

function combine(parts: Cond[], op: "AND" | "OR"): Cond | undefined {
  if (parts.length === 0) return undefined
  if (parts.length === 1) return parts[0]
  return {
    sql: parts.map((p) => (p.compound ? `(${p.sql})` : p.sql)).join(` ${op} `),
    compound: true,
  }
}

function compileNode(scope: Scope, n: WhereNode): Cond | undefined {
  if (n.type === "filter") return compileFilter(scope, n.filter)
  if (n.type === "through") {
    const q = scope.dialect.quote
    const t = `${scope.alias}__through`
    const p = scope.params.add(n.value)
    return {
      sql: `EXISTS (SELECT 1 FROM ${q(n.table)} AS ${q(t)} WHERE ${scope.ref(t, n.target)} = ${scope.ref(scope.alias, "id")} AND ${scope.ref(t, n.source)} = ${p})`,
      compound: false,
    }
  }
  if (n.type === "not") {
    scope.negated = !scope.negated
    let c: Cond | undefined
    try {
      c = compileNode(scope, n.child)
    } finally {
      scope.negated = !scope.negated
    }
    if (c === undefined) return FALSE
    return { sql: `NOT ${c.compound ? `(${c.sql})` : c.sql}`, compound: false }
  }
  const parts: Cond[] = []
  for (const child of n.children) {
    const c = compileNode(scope, child)
    if (c === undefined) {
      if (n.type === "or") return undefined // one always-true branch makes OR true
      continue
    }
    parts.push(c)
  }
  if (n.type === "or" && parts.length === 0) return FALSE
  return combine(parts, n.type === "and" ? "AND" : "OR")
}

function compileFilter(scope: Scope, filter: Readonly<Record<string, unknown>>): Cond | undefined {
  const parts: Cond[] = []
  for (const key of Object.keys(filter)) {
    const value = filter[key]
    if (value === undefined) continue
    const rel = isPlainObject(value) ? scope.meta.relation(key) : undefined
    let c: Cond | undefined
    if (rel && isPlainObject(value)) c = relationFilter(scope, key, rel, value)
    else {
      const col = scope.meta.column(key)
      c = lookups(scope, scope.ref(scope.alias, col.column), col, value)
    }
    if (c) parts.push(c)
  }
  return combine(parts, "AND")
}

function relationFilter(
  scope: Scope,
  key: string,
  rel: RelationMeta,
  value: Record<string, unknown>,
): Cond | undefined {
  const q = scope.dialect.quote
  if (rel.type === "forward") {
    const join = scope.join(key)
    const inner = new Scope(join.meta, join.alias, scope.params, true, join.sql.startsWith("LEFT"))
    inner.negated = scope.negated
    // Paths below the join are resolved against the outer scope so joins are shared.
    for (const [p, j] of scope.joins)
      if (p.startsWith(`${key}.`)) inner.joins.set(p.slice(key.length + 1), j)
    const c = compileFilter(inner, value)
    for (const [p, j] of inner.joins) scope.joins.set(`${key}.${p}`, j)
    return c
  }
  const alias = `${scope.alias}__${key}`
  const target = new Scope(rel.target.meta, alias, scope.params, false)
  let from: string
  let link: string
  if (rel.through) {
    const t = rel.through
    const talias = `${alias}_t`
    from = `${q(t.model.meta.table)} AS ${q(talias)} INNER JOIN ${q(target.meta.table)} AS ${q(alias)} ON ${target.ref(alias, "id")} = ${target.ref(talias, t.target)}`
    link = `${target.ref(talias, t.source)} = ${scope.ref(scope.alias, "id")}`
  } else {
    from = `${q(target.meta.table)} AS ${q(alias)}`
    link = `${target.ref(alias, rel.targetColumn)} = ${scope.ref(scope.alias, rel.localColumn)}`
  }
  const c = compileFilter(target, value)
  const where = c ? `${link} AND ${c.compound ? `(${c.sql})` : c.sql}` : link
  return {
    sql: `EXISTS (SELECT 1 FROM ${from}${target.joinSql()} WHERE ${where})`,
    compound: false,
  }
}

const LIKE = new Set(["contains", "icontains", "startsWith", "endsWith"])

function lookups(scope: Scope, sql: string, col: ColumnMeta, value: unknown): Cond | undefined {
  if (!isPlainObject(value)) return guarded(scope, sql, col, "eq", value)
  const parts: Cond[] = []
  for (const op of Object.keys(value)) {
    const v = value[op]
    if (v === undefined) continue
    parts.push(guarded(scope, sql, col, op, v))
  }
  return combine(parts, "AND")
}

/**
 * A lookup that, under NOT on a column that may be NULL, also requires a value:
 * `exclude({ editorId: 2 })` keeps rows whose editor is NULL, as Django does,
 * instead of SQL's NOT (NULL = 2) dropping them.
 */
function guarded(scope: Scope, sql: string, col: ColumnMeta, op: string, v: unknown): Cond {
  const c = lookup(scope, sql, col, op, v)
  const nullable = col.nullable || scope.outer
  if (!scope.negated || !nullable || op === "isNull" || v === null) return c
  return { sql: `${c.sql} AND ${sql} IS NOT NULL`, compound: true }
}

function operand(scope: Scope, col: ColumnMeta, v: unknown): string {
  if (v instanceof Expression) return compileExpr(scope, v.node)
  return scope.params.add(scope.dialect.encode(col.kind, v))
}

const COMPARED = new Set(["eq", "ne", "lt", "lte", "gt", "gte", "in", "notIn", "range"])

/**
 * The column as a comparison sees it: SQLite stores decimals as exact text,
 * which compares as text ("10.00" < "9.5", "10" <> "10.00"), so it compares values.
 */
export function comparable(dialect: Scope["dialect"], sql: string, col: ColumnMeta): string {
  return dialect.decimalsAsText && col.kind === "decimal" ? `CAST(${sql} AS REAL)` : sql
}

function lookup(scope: Scope, column: string, col: ColumnMeta, op: string, v: unknown): Cond {
  const sql = COMPARED.has(op) ? comparable(scope.dialect, column, col) : column
  const cmp = (o: string): Cond => ({
    sql: `${sql} ${o} ${operand(scope, col, v)}`,
    compound: false,
  })
  switch (op) {
    case "eq":
      return v === null ? { sql: `${sql} IS NULL`, compound: false } : cmp("=")
    case "ne":
      return v === null ? { sql: `${sql} IS NOT NULL`, compound: false } : cmp("<>")
    case "lt":
      return cmp("<")
    case "lte":
      return cmp("<=")
    case "gt":
      return cmp(">")
    case "gte":
      return cmp(">=")
    case "isNull":
      return { sql: `${sql} IS ${v ? "" : "NOT "}NULL`, compound: false }
    case "in":
    case "notIn": {
      const list = asArray(v, col.key, op)
      if (list.length === 0) return op === "in" ? FALSE : TRUE
      const ps = list.map((x) => operand(scope, col, x)).join(", ")
      return { sql: `${sql} ${op === "in" ? "IN" : "NOT IN"} (${ps})`, compound: false }
    }
    case "range": {
      const [lo, hi] = asArray(v, col.key, op)
      return {
        sql: `${sql} BETWEEN ${operand(scope, col, lo)} AND ${operand(scope, col, hi)}`,
        compound: false,
      }
    }
    default: {
      if (!LIKE.has(op)) throw ormErrors.UNKNOWN_LOOKUP({ field: col.key, lookup: op })
      if (typeof v !== "string") {
        throw ormErrors.INVALID_QUERY({ reason: `lookup "${op}" on "${col.key}" needs a string` })
      }
      const d = scope.dialect
      const p = scope.params.add(d.likePattern(op as LikeLookup, v))
      return { sql: d.like(sql, op as LikeLookup, p), compound: false }
    }
  }
}

function asArray(v: unknown, field: string, op: string): unknown[] {
  if (!Array.isArray(v)) {
    throw ormErrors.INVALID_QUERY({ reason: `lookup "${op}" on "${field}" needs an array` })
  }
  return v
}

/** Compiles an expression tree (field refs, values, arithmetic, aggregates). */
export function compileExpr(scope: Scope, n: ExprNode): string {
  switch (n.type) {
    case "ref":
      return scope.column(n.path).sql
    case "value":
      return scope.params.add(n.value)
    case "binary":
      return `(${compileExpr(scope, n.left)} ${n.op} ${compileExpr(scope, n.right)})`
    case "agg": {
      const fn = n.fn.toUpperCase()
      if (n.path === undefined) return `${fn}(*)`
      return `${fn}(${n.distinct ? "DISTINCT " : ""}${scope.column(n.path).sql})`
    }
  }
}
