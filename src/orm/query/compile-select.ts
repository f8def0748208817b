/**
 * Compiles query-set state to SELECT statements and decodes the rows they return.
 * @module
 */
import { baseDecoders, type SqlDialect } from "../dialects/dialect.js"
import type { ColumnMeta, ModelMeta } from "../meta.js"
import type { Expression } from "./expressions.js"
import { Params, Scope } from "./scope.js"
import { type OrderSpec, parseOrder, type QueryState } from "./state.js"
import { comparable, compileExpr, compileWhere } from "./where.js"

/** A compiled statement and a function turning its raw rows into results. */
export interface CompiledSelect {
  readonly sql: string
  readonly parameters: readonly unknown[]
  readonly decode: (rows: readonly Record<string, unknown>[]) => Record<string, unknown>[]
}

type Decoder = (raw: Record<string, unknown>) => Record<string, unknown>

/** Builds a decoder for `[resultKey, rowKey, column]` triples. */
function rowDecoder(d: SqlDialect, cols: readonly [string, string, ColumnMeta][]): Decoder {
  const fns = cols.map((c) => d.decoders[c[2].kind])
  if (cols.some((c) => c[1] === "__proto__")) return loopDecoder(cols, fns)
  // A generated function that builds the row as one object literal: V8 gives every row
  // the same hidden class and skips the per-key stores of a loop. Keys are JSON-quoted;
  // identity decoders are not called, numbers already numbers are kept.
  const lines: string[] = []
  const props: string[] = []
  for (const [i, [from, to]] of cols.entries()) {
    lines.push(`const v${i} = raw[${JSON.stringify(from)}];`)
    const fn = fns[i]
    let expr = `v${i} === null || v${i} === undefined ? null : f[${i}](v${i})`
    if (fn === IDENTITY) expr = `v${i} === undefined ? null : v${i}`
    else if (fn === TO_NUMBER)
      expr = `typeof v${i} === "number" ? v${i} : v${i} === null || v${i} === undefined ? null : f[${i}](v${i})`
    props.push(`${JSON.stringify(to)}: ${expr}`)
  }
  const body = `return (raw) => { ${lines.join(" ")} return { ${props.join(", ")} }; };`
  return new Function("f", body)(fns) as Decoder
}

const IDENTITY = baseDecoders("identity").string
const TO_NUMBER = baseDecoders("identity").integer

function loopDecoder(
  cols: readonly [string, string, ColumnMeta][],
  fns: readonly ((v: unknown) => unknown)[],
): Decoder {
  const n = cols.length
  return (raw) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const [from, to] = cols[i] as [string, string, ColumnMeta]
      const v = raw[from]
      row[to] = v === null || v === undefined ? null : (fns[i] as (x: unknown) => unknown)(v)
    }
    return row
  }
}

const modelDecoders = new WeakMap<SqlDialect, WeakMap<object, Decoder>>()

/** Decodes a full row of a model keyed by column name (INSERT … RETURNING), built once. */
export function modelRowDecoder(d: SqlDialect, meta: ModelMeta): Decoder {
  let byMeta = modelDecoders.get(d)
  if (!byMeta) {
    byMeta = new WeakMap()
    modelDecoders.set(d, byMeta)
  }
  let dec = byMeta.get(meta)
  if (!dec) {
    dec = rowDecoder(
      d,
      meta.columns.map((c): [string, string, ColumnMeta] => [c.column, c.key, c]),
    )
    byMeta.set(meta, dec)
  }
  return dec
}

function selectColumns(scope: Scope, state: QueryState): { list: string[]; decode: Decoder } {
  const d = scope.dialect
  const q = d.quote
  const list: string[] = []
  if (state.values) {
    const cols: [string, string, ColumnMeta][] = []
    for (const key of state.values) {
      const { sql, col } = scope.column(key)
      list.push(`${sql} AS ${q(key)}`)
      cols.push([key, key, col])
    }
    const base = rowDecoder(d, cols)
    const aggs = Object.keys(state.annotations ?? {})
    for (const [name, expr] of Object.entries(state.annotations ?? {})) {
      list.push(`${compileExpr(scope, expr.node)} AS ${q(name)}`)
    }
    return { list, decode: aggs.length === 0 ? base : withAggregates(base, aggs) }
  }
  const { columns, decode: base } = ownColumns(scope)
  list.push(...columns)
  if (state.related.length === 0) return { list, decode: base }
  const nested: [string, Decoder][] = []
  for (const path of state.related) {
    const join = scope.join(path)
    const cols: [string, string, ColumnMeta][] = []
    for (const col of join.meta.columns) {
      list.push(`${scope.ref(join.alias, col.column)} AS ${q(`${path}.${col.column}`)}`)
      cols.push([`${path}.${col.column}`, col.key, col])
    }
    nested.push([path, rowDecoder(d, cols)])
  }
  return { list, decode: withRelated(base, nested) }
}

const ownCache = new WeakMap<SqlDialect, WeakMap<object, { columns: string[]; decode: Decoder }>>()

/** The root table's column list and row decoder, built once per model and dialect. */
function ownColumns(scope: Scope): { columns: string[]; decode: Decoder } {
  const d = scope.dialect
  let byMeta = ownCache.get(d)
  if (!byMeta) {
    byMeta = new WeakMap()
    ownCache.set(d, byMeta)
  }
  const hit = byMeta.get(scope.meta)
  if (hit && scope.alias === scope.meta.table) return hit
  const own: [string, string, ColumnMeta][] = []
  const columns: string[] = []
  for (const col of scope.meta.columns) {
    columns.push(scope.ref(scope.alias, col.column))
    own.push([col.column, col.key, col])
  }
  const built = { columns, decode: rowDecoder(d, own) }
  if (scope.alias === scope.meta.table) byMeta.set(scope.meta, built)
  return built
}

function withAggregates(base: Decoder, names: string[]): Decoder {
  return (raw) => {
    const row = base(raw)
    for (const n of names) {
      const v = raw[n]
      row[n] = v === null || v === undefined ? null : Number(v)
    }
    return row
  }
}

function withRelated(base: Decoder, nested: [string, Decoder][]): Decoder {
  const steps = nested.map(([path, decode]) => ({ parts: path.split("."), decode }))
  return (raw) => {
    const row = base(raw)
    for (const { parts, decode } of steps) {
      const obj = decode(raw)
      const value = obj.id === null ? null : obj
      let target: Record<string, unknown> | null = row
      for (let i = 0; i < parts.length - 1 && target; i++) {
        target = target[parts[i] as string] as Record<string, unknown> | null
      }
      if (target) target[parts[parts.length - 1] as string] = value
    }
    return row
  }
}

/** The ORDER BY clause for the state (the model ordering when none was set). */
function orderBy(
  scope: Scope,
  order: readonly OrderSpec[],
  annotations: Readonly<Record<string, unknown>> = {},
): string {
  if (order.length === 0) return ""
  const terms = order.map((o) =>
    scope.dialect.orderTerm(orderRef(scope, o.path, annotations), o.desc, o.nulls),
  )
  return ` ORDER BY ${terms.join(", ")}`
}

function orderRef(
  scope: Scope,
  path: string,
  annotations: Readonly<Record<string, unknown>>,
): string {
  // An annotation name, e.g. values("authorId").annotate({ n: count() }).orderBy("-n").
  if (Object.hasOwn(annotations, path)) return scope.dialect.quote(path)
  const { sql, col } = scope.column(path)
  return comparable(scope.dialect, sql, col)
}

function effectiveOrder(state: QueryState): readonly OrderSpec[] {
  return state.order ?? state.model.meta.ordering.map((o) => parseOrder(o))
}

/**
 * The equality filter of a "simple" query (one filter of scalar values, nothing
 * else that changes the SQL but `limit`), whose SQL can be cached by shape.
 */
export function simpleFilter(state: QueryState): Readonly<Record<string, unknown>> | undefined {
  if (state.where.length > 1 || state.offset !== undefined || state.values) return undefined
  if (state.distinct || state.order !== undefined) return undefined
  const n = state.where[0]
  if (n === undefined) return EMPTY
  if (n.type !== "filter") return undefined
  for (const k in n.filter) {
    const v = n.filter[k]
    if (v === null || v === undefined || typeof v === "object") return undefined
  }
  return n.filter
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({})

interface Shape {
  sql: string
  cols: ColumnMeta[]
  decode: CompiledSelect["decode"]
  /** SELECT shapes: the one-row decoder, and whether the filter pins the primary key. */
  row?: Decoder
  unique?: boolean
}
type ShapeCache = Map<string, Shape>
const shapes = new WeakMap<SqlDialect, WeakMap<object, ShapeCache>>()

/** Stores a compiled shape; a model's cache is emptied past 256 shapes so odd limits cannot grow it forever. */
export function remember(
  cache: ShapeCache,
  key: string,
  value: ShapeCache extends Map<string, infer V> ? V : never,
): void {
  if (cache.size >= 256) cache.clear()
  cache.set(key, value)
}

/** The per-dialect, per-model cache of compiled simple queries. */
export function shapeCache(d: SqlDialect, meta: object): ShapeCache {
  let byMeta = shapes.get(d)
  if (!byMeta) {
    byMeta = new WeakMap()
    shapes.set(d, byMeta)
  }
  let cache = byMeta.get(meta)
  if (!cache) {
    cache = new Map()
    byMeta.set(meta, cache)
  }
  return cache
}

/** Compiles the SELECT of a query set (from the shape cache for simple filters). */
export function compileSelect(d: SqlDialect, state: QueryState): CompiledSelect {
  const filter = simpleFilter(state)
  if (filter === undefined) return compileSelectFull(d, state)
  const meta = state.model.meta
  const cache = shapeCache(d, meta)
  let key = `s${state.limit ?? ""}`
  for (const r of state.related) key += `+${r}`
  for (const k in filter) key += `,${k}`
  const hit = cache.get(key) ?? selectShape(d, state, filter, cache, key)
  const parameters: unknown[] = []
  let i = 0
  for (const k in filter) parameters.push(d.encode((hit.cols[i++] as ColumnMeta).kind, filter[k]))
  return { sql: hit.sql, parameters, decode: hit.decode }
}

function selectShape(
  d: SqlDialect,
  state: QueryState,
  filter: Readonly<Record<string, unknown>>,
  cache: ShapeCache,
  key: string,
): Shape {
  const meta = state.model.meta
  const full = compileSelectFull(d, state)
  const cols = Object.keys(filter).map((k) => meta.column(k))
  const hit = {
    sql: full.sql,
    cols,
    decode: full.decode,
    row: full.row,
    unique: cols.some((c) => c.primaryKey),
  }
  remember(cache, key, hit)
  return hit
}

const lastGet = new WeakMap<
  QueryState,
  { d: SqlDialect; field: string; shape: Shape; row: Decoder }
>()

/** A compiled `get()` whose filter pins the primary key: at most one row can match. */
export interface CompiledGet {
  readonly sql: string
  readonly parameters: readonly unknown[]
  readonly row: Decoder
}

/**
 * The SELECT of `get(filter)` on a query set with no other filter, ordering, slicing or
 * values, when `filter` gives the primary key as a plain value (from the shape cache,
 * same SQL as `filter(filter)` with `LIMIT 21`); undefined otherwise.
 */
export function compileGet(
  d: SqlDialect,
  state: QueryState,
  filter: Readonly<Record<string, unknown>>,
): CompiledGet | undefined {
  let only: string | undefined
  let n = 0
  for (const k in filter) {
    const v = filter[k]
    if (v === null || v === undefined || typeof v === "object") return undefined
    only = k
    n++
  }
  // The common case, get({ id }) on the same query set: the last shape, no key to build.
  const last = n === 1 ? lastGet.get(state) : undefined
  if (last !== undefined && last.d === d && last.field === only && only !== undefined) {
    const col = last.shape.cols[0] as ColumnMeta
    return { sql: last.shape.sql, parameters: [d.encode(col.kind, filter[only])], row: last.row }
  }
  if (state.where.length > 0 || state.offset !== undefined || state.values) return undefined
  if (state.distinct || state.order !== undefined) return undefined
  let key = "s21"
  for (const r of state.related) key += `+${r}`
  for (const k in filter) key += `,${k}`
  const cache = shapeCache(d, state.model.meta)
  let hit = cache.get(key)
  if (hit?.unique === false) return undefined
  if (hit?.row === undefined) {
    const full: QueryState = { ...state, where: [{ type: "filter", filter }], limit: 21 }
    hit = selectShape(d, full, filter, cache, key)
    if (!hit.unique || hit.row === undefined) return undefined
  }
  if (n === 1 && only !== undefined)
    lastGet.set(state, { d, field: only, shape: hit, row: hit.row })
  const parameters: unknown[] = []
  let i = 0
  for (const k in filter) parameters.push(d.encode((hit.cols[i++] as ColumnMeta).kind, filter[k]))
  return { sql: hit.sql, parameters, row: hit.row }
}

function compileSelectFull(d: SqlDialect, state: QueryState): CompiledSelect & { row: Decoder } {
  const meta = state.model.meta
  const scope = new Scope(meta, meta.table, new Params(d))
  const { list, decode } = selectColumns(scope, state)
  const where = compileWhere(scope, state.where)
  let groupBy = ""
  if (state.values && state.annotations && Object.keys(state.annotations).length > 0) {
    groupBy = state.values.length
      ? ` GROUP BY ${state.values.map((k) => scope.column(k).sql).join(", ")}`
      : ""
  }
  const order = orderBy(scope, effectiveOrder(state), state.annotations)
  const q = d.quote
  const sql =
    `SELECT ${state.distinct ? "DISTINCT " : ""}${list.join(", ")} FROM ${q(meta.table)}` +
    `${scope.joinSql()}${where ? ` WHERE ${where}` : ""}${groupBy}${order}` +
    d.limitOffset(state.limit, state.offset)
  return {
    sql,
    parameters: scope.params.values,
    decode: (rows) => rows.map(decode),
    row: decode,
  }
}

/** Compiles `SELECT COUNT(*)` (wrapping the query when it is sliced or distinct). */
export function compileCount(
  d: SqlDialect,
  state: QueryState,
): { sql: string; parameters: readonly unknown[] } {
  if (state.limit !== undefined || state.offset !== undefined || state.distinct || state.values) {
    const inner = compileSelect(d, state)
    return {
      sql: `SELECT COUNT(*) AS ${d.quote("count")} FROM (${inner.sql}) AS ${d.quote("sub")}`,
      parameters: inner.parameters,
    }
  }
  const meta = state.model.meta
  const scope = new Scope(meta, meta.table, new Params(d))
  const where = compileWhere(scope, state.where)
  const sql = `SELECT COUNT(*) AS ${d.quote("count")} FROM ${d.quote(meta.table)}${scope.joinSql()}${where ? ` WHERE ${where}` : ""}`
  return { sql, parameters: scope.params.values }
}

/** Compiles a single-row aggregate query. */
export function compileAggregate(
  d: SqlDialect,
  state: QueryState,
  aggregates: Readonly<Record<string, Expression>>,
): { sql: string; parameters: readonly unknown[] } {
  const meta = state.model.meta
  const scope = new Scope(meta, meta.table, new Params(d))
  const list = Object.entries(aggregates).map(
    ([k, e]) => `${compileExpr(scope, e.node)} AS ${d.quote(k)}`,
  )
  const where = compileWhere(scope, state.where)
  const sql = `SELECT ${list.join(", ")} FROM ${d.quote(meta.table)}${scope.joinSql()}${where ? ` WHERE ${where}` : ""}`
  return { sql, parameters: scope.params.values }
}

/**
 * Compiles the condition of an UPDATE or DELETE: a plain WHERE when the filter
 * needs no joins or slicing, else `id IN (SELECT …)` (wrapped for MySQL, which
 * cannot select from the table it modifies).
 */
export function compileTargetWhere(d: SqlDialect, state: QueryState, params: Params): string {
  const meta = state.model.meta
  const scope = new Scope(meta, meta.table, params)
  const where = compileWhere(scope, state.where)
  const sliced = state.limit !== undefined || state.offset !== undefined
  if (scope.joins.size === 0 && !sliced) return where ? ` WHERE ${where}` : ""
  const order = sliced ? orderBy(scope, effectiveOrder(state)) : ""
  const id = scope.ref(meta.table, "id")
  const sub = `SELECT ${id} FROM ${d.quote(meta.table)}${scope.joinSql()}${where ? ` WHERE ${where}` : ""}${order}${d.limitOffset(state.limit, state.offset)}`
  if (d.wrapsTargetSubquery) {
    return ` WHERE ${id} IN (SELECT ${d.quote("id")} FROM (${sub}) AS ${d.quote("sub")})`
  }
  return ` WHERE ${id} IN (${sub})`
}
