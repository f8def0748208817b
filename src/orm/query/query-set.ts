/**
 * `QuerySet`: an immutable, lazy, typed query over one model.
 * @module
 */

import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { ForeignKeyField, ManyToManyField } from "../fields/relations.js"
import type { AnyModel } from "../model.js"
import type {
  CreateInput,
  FieldsOf,
  FilterOf,
  ForeignKeys,
  ManyKeys,
  RelatedModel,
  Row,
  UpdateInput,
} from "../types.js"
import {
  type CompiledSelect,
  compileAggregate,
  compileCount,
  compileGet,
  compileSelect,
} from "./compile-select.js"
import { compileBulkUpdate, compileDelete, compileUpdate, compileUpsert } from "./compile-write.js"
import {
  Condition,
  type ConditionBuilder,
  conditionBuilder,
  Expression,
  toWhere,
  type WhereNode,
} from "./expressions.js"
import { prefetch, RelationManager } from "./related.js"
import { initialState, parseOrder, type QueryState } from "./state.js"
import { decodeRow, insertRows, validated, withAutoNow, withDefaults } from "./write.js"

type Keys<R> = keyof R & string

/**
 * An ORDER BY key: `"title"`, `"-createdAt"`, `"author.username"` or an object with nulls placement.
 * @example
 * ```ts
 * import { type OrderKey, field, model } from "truss/orm"
 * const Post = model("post", { views: field.integer() })
 * const newestFirst: OrderKey<typeof Post> = "-id"
 * ```
 */
export type OrderKey<M, R = Row<M>> =
  | Keys<R>
  | `-${Keys<R>}`
  | `${ForeignKeys<FieldsOf<M>>}.${string}`
  | `-${ForeignKeys<FieldsOf<M>>}.${string}`
  | { field: string; direction?: "asc" | "desc"; nulls?: "first" | "last" }

/**
 * What `filter()` accepts: a filter object, a condition, or a function of the `q` helper.
 * @example
 * ```ts
 * import { type FilterArg, field, model } from "truss/orm"
 * const Post = model("post", { views: field.integer() })
 * const popular: FilterArg<typeof Post> = { views: { gte: 100 } }
 * ```
 */
export type FilterArg<M> =
  | FilterOf<M>
  | Condition<FilterOf<M>>
  | ((q: ConditionBuilder<FilterOf<M>>) => Condition<FilterOf<M>>)

type RelatedRow<M, K> =
  FieldsOf<M>[K & keyof FieldsOf<M>] extends ForeignKeyField<infer T, infer N>
    ? N extends true
      ? Row<T> | null
      : Row<T>
    : never
type PrefetchRow<M, K> = K extends keyof FieldsOf<M>
  ? FieldsOf<M>[K] extends ManyToManyField<infer T>
    ? Row<T>[]
    : FieldsOf<M>[K] extends ForeignKeyField<infer T, infer N>
      ? N extends true
        ? Row<T> | null
        : Row<T>
      : never
  : // A reverse relation (relatedName): a list, or one row or null for one-to-one.
    unknown
type AggResult<A> = { [K in keyof A]: A[K] extends Expression<infer T> ? T : never }

/**
 * An immutable, lazy query over a model: builder methods return new query sets and
 * nothing runs until a terminal method (`all`, `first`, `get`, `count`, …) is awaited.
 *
 * @example
 * ```ts
 * import { connect, field, model } from "truss/orm"
 * const Post = model("post", { title: field.string(), views: field.integer({ default: 0 }) })
 * const db = await connect("sqlite::memory:")
 * const popular = db.query(Post).filter({ views: { gte: 100 } }).orderBy("-views").limit(10)
 * const rows = await popular.all()
 * ```
 */
export class QuerySet<M extends AnyModel, R = Row<M>> {
  readonly #state: QueryState
  readonly #ex: Executor
  #compiled: CompiledSelect | undefined

  private constructor(state: QueryState, ex: Executor) {
    this.#state = state
    this.#ex = ex
    Object.freeze(this)
  }

  /** @internal Use `db.query(Model)`. */
  static of<M extends AnyModel>(model: M, ex: Executor): QuerySet<M, Row<M>> {
    return new QuerySet(initialState(model), ex)
  }

  #with<R2 = R>(patch: Partial<QueryState>): QuerySet<M, R2> {
    return new QuerySet<M, R2>({ ...this.#state, ...patch }, this.#ex)
  }

  get #model(): M {
    return this.#state.model as M
  }

  #where(arg: FilterArg<M>): WhereNode {
    const value = typeof arg === "function" ? arg(conditionBuilder<FilterOf<M>>()) : arg
    return toWhere(value)
  }

  /** Keeps rows matching the filter (ANDed with earlier filters). */
  filter(arg: FilterArg<M>): QuerySet<M, R> {
    return this.#with({ where: [...this.#state.where, this.#where(arg)] })
  }

  /** Drops rows matching the filter. */
  exclude(arg: FilterArg<M>): QuerySet<M, R> {
    return this.#with({ where: [...this.#state.where, { type: "not", child: this.#where(arg) }] })
  }

  /** Sets the ordering (replacing the model's default ordering). */
  orderBy(...keys: OrderKey<M, R>[]): QuerySet<M, R> {
    return this.#with({ order: keys.map(parseOrder) })
  }

  /** Returns at most `n` rows. */
  limit(n: number): QuerySet<M, R> {
    return this.#with({ limit: nonNegative(n, "limit") })
  }

  /** Skips the first `n` rows. */
  offset(n: number): QuerySet<M, R> {
    return this.#with({ offset: nonNegative(n, "offset") })
  }

  /** Removes duplicate rows (`SELECT DISTINCT`). */
  distinct(): QuerySet<M, R> {
    return this.#with({ distinct: true })
  }

  /** Joins foreign keys and adds the related row under the field name (one query). */
  selectRelated<K extends ForeignKeys<FieldsOf<M>>>(
    ...keys: K[]
  ): QuerySet<M, R & { [P in K]: RelatedRow<M, P> }> {
    return this.#with({ related: [...this.#state.related, ...keys] })
  }

  /**
   * Loads relations with one extra query per relation (no N+1): foreign keys and
   * many-to-many fields are typed; reverse relations (a `relatedName`) are `unknown`
   * to the type system: a row list, or for one-to-one a row or null.
   */
  prefetchRelated<K extends string>(
    ...keys: K[]
  ): QuerySet<M, R & { [P in K]: PrefetchRow<M, P> }> {
    return this.#with({ prefetch: [...this.#state.prefetch, ...keys] })
  }

  /** Returns plain objects with only these keys. */
  values<K extends Keys<R>>(...keys: K[]): QuerySet<M, Pick<R, K>> {
    return this.#with({ values: keys, related: [], prefetch: [] })
  }

  /** Adds aggregates per group of `values()` keys, e.g. `values("authorId").annotate({ n: count() })`. */
  annotate<A extends Record<string, Expression<unknown>>>(
    aggregates: A,
  ): QuerySet<M, R & AggResult<A>> {
    if (!this.#state.values) {
      throw ormErrors.INVALID_QUERY({
        reason: "annotate() groups by values(): call values(...keys) first",
      })
    }
    return this.#with({ annotations: { ...this.#state.annotations, ...aggregates } })
  }

  /** Runs this query set on another handle, e.g. a transaction. */
  using(ex: Executor): QuerySet<M, R> {
    return new QuerySet<M, R>(this.#state, ex)
  }

  #select(): CompiledSelect {
    this.#compiled ??= compileSelect(this.#ex.dialect, this.#state)
    return this.#compiled
  }

  /** The SELECT this query set runs, for logs and tests. */
  toSql(): { sql: string; parameters: readonly unknown[] } {
    const { sql, parameters } = this.#select()
    return { sql, parameters }
  }

  /** Runs the query and returns every row. */
  async all(): Promise<R[]> {
    return this.#fetch(this.#state, this.#select())
  }

  async #fetch(state: QueryState, c: CompiledSelect): Promise<R[]> {
    const result = await this.#ex.exec(c.sql, c.parameters)
    const rows = c.decode(result.rows)
    if (state.prefetch.length > 0) await prefetch(this.#ex, this.#model, rows, state.prefetch)
    return rows as R[]
  }

  /** The first row, or undefined. */
  async first(): Promise<R | undefined> {
    const [row] = await this.limit(1).all()
    return row
  }

  /**
   * The one row matching the filter.
   * @throws TRUSS_ERR_ORM_DOES_NOT_EXIST when none matches, TRUSS_ERR_ORM_MULTIPLE_OBJECTS when more do.
   */
  async get(arg?: FilterArg<M>): Promise<R> {
    // Built directly (no intermediate query sets): get() is the hottest path.
    const base = this.#state
    if (typeof arg === "object" && arg !== null && !(arg instanceof Condition)) {
      // By primary key: a cached statement that stops at its one row (no list, no count).
      const c = compileGet(this.#ex.dialect, base, arg as Record<string, unknown>)
      if (c !== undefined) {
        const raw = await this.#ex.one(c.sql, c.parameters)
        if (raw === undefined) throw ormErrors.DOES_NOT_EXIST({ model: this.#model.name })
        const row = c.row(raw)
        if (base.prefetch.length > 0) await prefetch(this.#ex, this.#model, [row], base.prefetch)
        return row as R
      }
    }
    const where = arg === undefined ? base.where : [...base.where, this.#where(arg)]
    const state: QueryState = { ...base, where, limit: 21 }
    const rows = await this.#fetch(state, compileSelect(this.#ex.dialect, state))
    if (rows.length === 1) return rows[0] as R
    if (rows.length === 0) throw ormErrors.DOES_NOT_EXIST({ model: this.#model.name })
    throw ormErrors.MULTIPLE_OBJECTS({ model: this.#model.name, count: rows.length })
  }

  /** Counts matching rows. */
  async count(): Promise<number> {
    const { sql, parameters } = compileCount(this.#ex.dialect, this.#state)
    const result = await this.#ex.exec(sql, parameters)
    return Number(result.rows[0]?.count ?? 0)
  }

  /** True when at least one row matches. */
  async exists(): Promise<boolean> {
    const c = compileSelect(this.#ex.dialect, {
      ...this.#state,
      values: ["id"],
      annotations: undefined,
      limit: 1,
      order: [],
    })
    const result = await this.#ex.exec(c.sql, c.parameters)
    return result.rows.length > 0
  }

  /** Computes aggregates over the matching rows: `{ n: count(), top: max("views") }`. */
  async aggregate<A extends Record<string, Expression<unknown>>>(
    aggregates: A,
  ): Promise<AggResult<A>> {
    const { sql, parameters } = compileAggregate(this.#ex.dialect, this.#state, aggregates)
    const result = await this.#ex.exec(sql, parameters)
    const raw = result.rows[0] ?? {}
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(aggregates))
      out[k] = raw[k] === null || raw[k] === undefined ? null : Number(raw[k])
    return out as AggResult<A>
  }

  /**
   * Validates, fills defaults, runs `beforeSave`, inserts and runs `afterSave`.
   * @throws TRUSS_ERR_ORM_VALIDATION with field-level errors in `extensions.errors`.
   */
  async create(input: CreateInput<M>): Promise<Row<M>> {
    const m = this.#model
    const values = withDefaults(m, validated(m, input, "create"))
    const hooks = m.options.hooks
    if (hooks?.beforeSave) await hooks.beforeSave(values as never, { created: true })
    const [row] = await insertRows(this.#ex, m, [values])
    if (hooks?.afterSave) await hooks.afterSave(row as never, { created: true })
    return row as Row<M>
  }

  /** Inserts many rows in batches (one statement per batch; hooks do not run). */
  async bulkCreate(
    inputs: readonly CreateInput<M>[],
    options: { batchSize?: number } = {},
  ): Promise<Row<M>[]> {
    const m = this.#model
    const rows = inputs.map((i) => withDefaults(m, validated(m, i, "create")))
    const size = options.batchSize ?? 500
    if (rows.length <= size) return (await insertRows(this.#ex, m, rows)) as Row<M>[]
    return this.#ex.transaction(async (tx) => {
      const out: Row<M>[] = []
      for (let i = 0; i < rows.length; i += size) {
        out.push(...((await insertRows(tx, m, rows.slice(i, i + size))) as Row<M>[]))
      }
      return out
    })
  }

  /** Updates every matching row; values may be expressions (`F("views").add(1)`). Returns the count. */
  async update(values: UpdateInput<M>): Promise<number> {
    const m = this.#model
    const checked = withAutoNow(m, validated(m, values, "update"))
    if (Object.keys(checked).length === 0) return 0
    const { sql, parameters } = compileUpdate(this.#ex.dialect, this.#state, checked)
    const result = await this.#ex.exec(sql, parameters)
    return Number(result.numAffectedRows ?? 0)
  }

  /** Deletes every matching row (database cascades apply). Returns the count. */
  async delete(): Promise<number> {
    const { sql, parameters } = compileDelete(this.#ex.dialect, this.#state)
    const result = await this.#ex.exec(sql, parameters)
    return Number(result.numAffectedRows ?? 0)
  }

  /** Saves a changed row by primary key with validation and hooks. */
  async save(row: Row<M>): Promise<Row<M>> {
    const m = this.#model
    const { id, ...all } = row as Record<string, unknown>
    const rest: Record<string, unknown> = {}
    for (const col of m.meta.columns)
      if (!col.primaryKey && col.key in all) rest[col.key] = all[col.key]
    const values = withAutoNow(m, validated(m, rest, "update"))
    await m.options.hooks?.beforeSave?.(values as never, { created: false })
    await this.#with({
      where: [{ type: "filter", filter: { id } }],
      limit: undefined,
      offset: undefined,
    }).#rawUpdate(values)
    const saved = { ...row, ...values } as Row<M>
    await m.options.hooks?.afterSave?.(saved as never, { created: false })
    return saved
  }

  async #rawUpdate(values: Record<string, unknown>): Promise<number> {
    const { sql, parameters } = compileUpdate(this.#ex.dialect, this.#state, values)
    const result = await this.#ex.exec(sql, parameters)
    return Number(result.numAffectedRows ?? 0)
  }

  /** Deletes one row by primary key, running `beforeDelete`/`afterDelete`. */
  async deleteRow(row: Row<M>): Promise<void> {
    const m = this.#model
    await m.options.hooks?.beforeDelete?.(row as never)
    const id = (row as { id: unknown }).id
    await this.#with({ where: [{ type: "filter", filter: { id } }] }).delete()
    await m.options.hooks?.afterDelete?.(row as never)
  }

  /**
   * Gets the row matching `filter`, or creates it from the filter's plain values and
   * `defaults`. Returns `[row, created]`.
   */
  async getOrCreate(
    filter: FilterOf<M>,
    defaults: Partial<CreateInput<M>> = {},
  ): Promise<[Row<M>, boolean]> {
    const base = this.#with<Row<M>>({ related: [], prefetch: [], values: undefined })
    const found = await base.filter(filter).limit(2).all()
    if (found.length === 1) return [found[0] as Row<M>, false]
    if (found.length > 1)
      throw ormErrors.MULTIPLE_OBJECTS({ model: this.#model.name, count: found.length })
    const input = { ...plainValues(filter), ...defaults } as CreateInput<M>
    try {
      const row = await this.#ex.transaction((tx) => base.using(tx).create(input))
      return [row, true]
    } catch (err) {
      // Another writer may have created it between our read and insert.
      const again = await base.filter(filter).first()
      if (again) return [again, false]
      throw err
    }
  }

  /**
   * Inserts a row, or on a unique-key conflict updates it, in one statement. `conflict`
   * names the unique fields (PostgreSQL and SQLite need them; MySQL reacts to any unique
   * key); `update` the fields to overwrite (default: every given field but those).
   *
   * @example
   * ```ts
   * // await db.query(Tag).upsert({ slug: "ts", name: "TypeScript" }, { conflict: ["slug"] })
   * ```
   */
  async upsert(
    input: CreateInput<M>,
    options: { conflict: readonly Keys<Row<M>>[]; update?: readonly Keys<Row<M>>[] },
  ): Promise<Row<M>> {
    const m = this.#model
    const given = Object.keys(input as object)
    const values = withDefaults(m, validated(m, input, "create"))
    const update =
      options.update ??
      given.filter((k) => k !== "id" && !options.conflict.includes(k as Keys<Row<M>>))
    const { sql, parameters } = compileUpsert(
      this.#ex.dialect,
      m.meta,
      values,
      options.conflict,
      update,
    )
    const result = await this.#ex.exec(sql, parameters)
    const returned = result.rows[0]
    if (returned && this.#ex.dialect.insertReturning)
      return decodeRow(this.#ex, m, returned) as Row<M>
    const key: Record<string, unknown> = {}
    for (const k of options.conflict) key[k] = values[k]
    return (await this.#with<Row<M>>({
      where: [{ type: "filter", filter: key }],
      related: [],
      prefetch: [],
      values: undefined,
    }).get()) as Row<M>
  }

  /** Updates the row matching `filter` with `values`, or creates it. Returns `[row, created]`. */
  async updateOrCreate(
    filter: FilterOf<M>,
    values: Partial<CreateInput<M>>,
  ): Promise<[Row<M>, boolean]> {
    return this.#ex.transaction(async (tx) => {
      const base = this.#with<Row<M>>({ related: [], prefetch: [], values: undefined }).using(tx)
      const found = await base.filter(filter).limit(2).all()
      if (found.length > 1)
        throw ormErrors.MULTIPLE_OBJECTS({ model: this.#model.name, count: found.length })
      const existing = found[0]
      if (!existing)
        return [await base.create({ ...plainValues(filter), ...values } as CreateInput<M>), true]
      const id = (existing as { id: unknown }).id
      await base
        .#with({ where: [{ type: "filter", filter: { id } }] })
        .update(values as UpdateInput<M>)
      return [
        (await base.#with({ where: [{ type: "filter", filter: { id } }] }).first()) as Row<M>,
        false,
      ]
    })
  }

  /**
   * Updates `keys` of each row by primary key, atomically: on PostgreSQL in one
   * `UPDATE … FROM (VALUES …)` statement, elsewhere (and when values are expressions
   * or an id repeats) one UPDATE per row in a transaction. Returns the count.
   */
  async bulkUpdate(
    rows: readonly (Partial<Row<M>> & { id: unknown })[],
    keys: readonly Keys<Row<M>>[],
  ): Promise<number> {
    const batched = this.#ex.dialect.name === "postgres" ? this.#batchValues(rows, keys) : undefined
    if (batched) {
      const { sql, parameters } = compileBulkUpdate(
        this.#ex.dialect,
        this.#model.meta,
        batched.keys,
        batched.rows,
      )
      const result = await this.#ex.exec(sql, parameters)
      return Number(result.numAffectedRows ?? 0)
    }
    return this.#ex.transaction(async (tx) => {
      let n = 0
      for (const row of rows) {
        const values: Record<string, unknown> = {}
        for (const k of keys) values[k] = (row as Record<string, unknown>)[k]
        n += await this.#with({ where: [{ type: "filter", filter: { id: row.id } }] })
          .using(tx)
          .update(values as UpdateInput<M>)
      }
      return n
    })
  }

  /**
   * Keyset pagination: one page ordered by `by` (a non-null field, `-` for descending)
   * with the primary key as tie-breaker, and the cursor of the next page. Unlike
   * `offset()`, the cost does not grow with the page number.
   *
   * @example
   * ```ts
   * // const first = await db.query(Post).paginate({ by: "-createdAt", size: 20 })
   * // const second = await db.query(Post).paginate({ by: "-createdAt", size: 20, after: first.next })
   * ```
   */
  async paginate(options: {
    size: number
    by?: Keys<Row<M>> | `-${Keys<Row<M>>}`
    after?: PageCursor | undefined
  }): Promise<{ rows: R[]; next: PageCursor | undefined }> {
    const by = options.by ?? "id"
    const desc = by.startsWith("-")
    const field = desc ? by.slice(1) : by
    this.#model.meta.column(field)
    const picked = this.#state.values
    if (picked && (!picked.includes(field) || !picked.includes("id"))) {
      throw ormErrors.INVALID_QUERY({
        reason: `paginate() needs "${field}" and "id" in values() to build the cursor`,
      })
    }
    let qs: QuerySet<M, R> = this
    const after = options.after
    if (after) {
      const cmp = desc ? "lt" : "gt"
      const node: WhereNode =
        field === "id"
          ? { type: "filter", filter: { id: { [cmp]: after.id } } }
          : {
              type: "or",
              children: [
                { type: "filter", filter: { [field]: { [cmp]: after.value } } },
                { type: "filter", filter: { [field]: after.value, id: { [cmp]: after.id } } },
              ],
            }
      qs = this.#with({ where: [...this.#state.where, node] })
    }
    const order = [
      { path: field, desc, nulls: undefined },
      ...(field === "id" ? [] : [{ path: "id", desc, nulls: undefined }]),
    ]
    const rows = await qs
      .#with<R>({ order, limit: nonNegative(options.size, "paginate size") + 1 })
      .all()
    const more = rows.length > options.size
    const page = more ? rows.slice(0, options.size) : rows
    const last = page[page.length - 1] as Record<string, unknown> | undefined
    return { rows: page, next: more && last ? { value: last[field], id: last.id } : undefined }
  }

  /** Validated values of every row for one batched UPDATE, or undefined when it cannot be one. */
  #batchValues(
    rows: readonly (Partial<Row<M>> & { id: unknown })[],
    keys: readonly string[],
  ): { keys: string[]; rows: Record<string, unknown>[] } | undefined {
    if (rows.length < 2) return undefined
    const m = this.#model
    const ids = new Set<unknown>()
    const out: Record<string, unknown>[] = []
    let shape: string[] | undefined
    for (const row of rows) {
      if (row.id === null || row.id === undefined || ids.has(row.id)) return undefined
      ids.add(row.id)
      const values: Record<string, unknown> = {}
      for (const k of keys) values[k] = (row as Record<string, unknown>)[k]
      const checked = withAutoNow(m, validated(m, values, "update"))
      const names = Object.keys(checked)
      for (const k of names) {
        const v = checked[k]
        if (v === undefined || v instanceof Expression) return undefined
      }
      if (shape === undefined) shape = names
      else if (shape.length !== names.length || shape.some((k, i) => names[i] !== k))
        return undefined
      out.push({ ...checked, id: row.id })
    }
    return shape?.length ? { keys: shape, rows: out } : undefined
  }

  /** Yields rows in primary-key order, `size` at a time (keyset pagination: big tables stay cheap). */
  async *chunks(size = 500): AsyncGenerator<R[]> {
    if (this.#state.limit !== undefined || this.#state.offset !== undefined) {
      throw ormErrors.INVALID_QUERY({
        reason: "chunks() pages by primary key; remove limit()/offset()",
      })
    }
    let last: unknown
    for (;;) {
      const page: QuerySet<M, R> =
        last === undefined
          ? this
          : this.#with({
              where: [...this.#state.where, { type: "filter", filter: { id: { gt: last } } }],
            })
      const rows = await page
        .#with<R>({ order: [{ path: "id", desc: false, nulls: undefined }], limit: size })
        .all()
      if (rows.length === 0) return
      yield rows
      if (rows.length < size) return
      last = (rows[rows.length - 1] as { id: unknown }).id
    }
  }

  /** Iterates every row, fetching 500 at a time. */
  async *[Symbol.asyncIterator](): AsyncGenerator<R> {
    for await (const chunk of this.chunks()) yield* chunk
  }

  /**
   * The rows related to one row through `name` (many-to-many or a reverse relation);
   * for many-to-many the manager also has `add`, `remove`, `set` and `clear`.
   */
  related<K extends ManyKeys<FieldsOf<M>>>(
    pk: Row<M>["id"],
    name: K,
  ): RelationManager<RelatedModel<M, K>>
  related(pk: Row<M>["id"], name: string): RelationManager
  related(pk: Row<M>["id"], name: string): RelationManager {
    const rel = this.#model.meta.relation(name)
    if (!rel || rel.type === "forward") {
      throw ormErrors.INVALID_QUERY({
        reason: `"${name}" is not a many-to-many or reverse relation of ${this.#model.name}`,
      })
    }
    return new RelationManager(this.#ex, rel, pk)
  }
}

/**
 * Where the next page of `paginate()` starts: the last row's sort value and key.
 *
 * @example
 * ```ts
 * import type { PageCursor } from "truss/orm"
 * const cursor: PageCursor = { value: "2024-05-01T00:00:00.000Z", id: 42 }
 * ```
 */
export interface PageCursor {
  readonly value: unknown
  readonly id: unknown
}

function nonNegative(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw ormErrors.INVALID_QUERY({
      reason: `${what}() needs a non-negative integer, got ${String(n)}`,
    })
  }
  return n
}

function plainValues(filter: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(filter)) {
    const plain =
      typeof v !== "object" || v === null || v instanceof Date || v instanceof Uint8Array
    if (plain) out[k] = v
  }
  return out
}
