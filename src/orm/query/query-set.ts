/**
 * `QuerySet`: an immutable, lazy, typed query over one model. The builder methods
 * live here; terminal reads, writes and keyset pagination are module functions of
 * the state and executor (`read.ts`, `mutate.ts`, `upsert.ts`, `keyset.ts`).
 * @module
 */

import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { AnyModel } from "../model.js"
import type {
  CreateInput,
  FieldsOf,
  FilterOf,
  ForeignKeys,
  ManyKeys,
  RelatedModel,
  ReverseKeys,
  Row,
  UpdateInput,
} from "../types.js"
import { type CompiledSelect, compileSelect } from "./compile-select.js"
import type { Expression } from "./expressions.js"
import { chunkRows, paginateRows } from "./keyset.js"
import {
  bulkCreateRows,
  bulkUpdateRows,
  createRow,
  deleteOneRow,
  deleteRows,
  saveRow,
  updateRows,
} from "./mutate.js"
import type { Prefetched, PrefetchPath } from "./prefetch-types.js"
import type { AggResult, FilterArg, Keys, OrderKey, PageCursor, RelatedRow } from "./query-types.js"
import { aggregateRows, countRows, fetchRows, getRow, rowsExist } from "./read.js"
import { RelationManager } from "./related.js"
import { initialState, nonNegative, parseOrder, type QueryState, whereOf } from "./state.js"
import { getOrCreateRow, updateOrCreateRow, upsertRow } from "./upsert.js"

export type { FilterArg, OrderKey, PageCursor } from "./query-types.js"

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

  /** Keeps rows matching the filter (ANDed with earlier filters). */
  filter(arg: FilterArg<M>): QuerySet<M, R> {
    return this.#with({ where: [...this.#state.where, whereOf<FilterOf<M>>(arg)] })
  }

  /** Drops rows matching the filter. */
  exclude(arg: FilterArg<M>): QuerySet<M, R> {
    const child = whereOf<FilterOf<M>>(arg)
    return this.#with({ where: [...this.#state.where, { type: "not", child }] })
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
   * Loads relations with one extra query per relation and level (no N+1): foreign
   * keys, many-to-many fields, declared reverse relations (`field.reverse`) and paths
   * through them (`"author.company"`), each typed.
   */
  prefetchRelated<P extends PrefetchPath<M>>(...paths: P[]): QuerySet<M, R & Prefetched<M, P>> {
    return this.#with({ prefetch: [...this.#state.prefetch, ...paths] })
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
    return (await fetchRows(this.#ex, this.#state, this.#select())) as R[]
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
  get(arg?: FilterArg<M>): Promise<R> {
    // Built directly (no intermediate query sets, no async frame): the hottest path.
    return getRow(this.#ex, this.#state, arg) as Promise<R>
  }

  /** Counts matching rows. */
  count(): Promise<number> {
    return countRows(this.#ex, this.#state)
  }

  /** True when at least one row matches. */
  exists(): Promise<boolean> {
    return rowsExist(this.#ex, this.#state)
  }

  /** Computes aggregates over the matching rows: `{ n: count(), top: max("views") }`. */
  aggregate<A extends Record<string, Expression<unknown>>>(aggregates: A): Promise<AggResult<A>> {
    return aggregateRows(this.#ex, this.#state, aggregates)
  }

  /**
   * Validates, fills defaults, runs `beforeSave`, inserts and runs `afterSave`.
   * @throws TRUSS_ERR_ORM_VALIDATION with field-level errors in `extensions.errors`.
   */
  async create(input: CreateInput<M>): Promise<Row<M>> {
    return (await createRow(this.#ex, this.#state.model, input)) as Row<M>
  }

  /** Inserts many rows in batches (one statement per batch; hooks do not run). */
  async bulkCreate(
    inputs: readonly CreateInput<M>[],
    options: { batchSize?: number } = {},
  ): Promise<Row<M>[]> {
    const size = options.batchSize ?? 500
    return (await bulkCreateRows(this.#ex, this.#state.model, inputs, size)) as Row<M>[]
  }

  /** Updates every matching row; values may be expressions (`F("views").add(1)`). Returns the count. */
  update(values: UpdateInput<M>): Promise<number> {
    return updateRows(this.#ex, this.#state, values)
  }

  /** Deletes every matching row (database cascades apply). Returns the count. */
  delete(): Promise<number> {
    return deleteRows(this.#ex, this.#state)
  }

  /** Saves a changed row by primary key with validation and hooks. */
  async save(row: Row<M>): Promise<Row<M>> {
    return (await saveRow(this.#ex, this.#state, row as Record<string, unknown>)) as Row<M>
  }

  /** Deletes one row by primary key, running `beforeDelete`/`afterDelete`. */
  deleteRow(row: Row<M>): Promise<void> {
    return deleteOneRow(this.#ex, this.#state, row as Record<string, unknown>)
  }

  /**
   * Gets the row matching `filter`, or creates it from the filter's plain values and
   * `defaults`. Returns `[row, created]`.
   */
  async getOrCreate(
    filter: FilterOf<M>,
    defaults: Partial<CreateInput<M>> = {},
  ): Promise<[Row<M>, boolean]> {
    return (await getOrCreateRow(this.#ex, this.#state, filter, defaults)) as [Row<M>, boolean]
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
    const { conflict, update } = options
    return (await upsertRow(this.#ex, this.#state, input, conflict, update)) as Row<M>
  }

  /** Updates the row matching `filter` with `values`, or creates it. Returns `[row, created]`. */
  async updateOrCreate(
    filter: FilterOf<M>,
    values: Partial<CreateInput<M>>,
  ): Promise<[Row<M>, boolean]> {
    return (await updateOrCreateRow(this.#ex, this.#state, filter, values)) as [Row<M>, boolean]
  }

  /**
   * Updates `keys` of each row by primary key, atomically: on PostgreSQL in one
   * `UPDATE … FROM (VALUES …)` statement, elsewhere (and when values are expressions
   * or an id repeats) one UPDATE per row in a transaction. Returns the count.
   */
  bulkUpdate(
    rows: readonly (Partial<Row<M>> & { id: unknown })[],
    keys: readonly Keys<Row<M>>[],
  ): Promise<number> {
    return bulkUpdateRows(this.#ex, this.#state, rows as never, keys)
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
    const page = await paginateRows(this.#ex, this.#state, options)
    return page as { rows: R[]; next: PageCursor | undefined }
  }

  /** Yields rows in primary-key order, `size` at a time (keyset pagination: big tables stay cheap). */
  chunks(size = 500): AsyncGenerator<R[]> {
    return chunkRows(this.#ex, this.#state, size) as AsyncGenerator<R[]>
  }

  /** Iterates every row, fetching 500 at a time. */
  async *[Symbol.asyncIterator](): AsyncGenerator<R> {
    for await (const chunk of this.chunks()) yield* chunk
  }

  /**
   * The rows related to one row through `name` (many-to-many or a reverse relation);
   * for many-to-many the manager also has `add`, `remove`, `set` and `clear`.
   */
  related<K extends ManyKeys<FieldsOf<M>> | ReverseKeys<FieldsOf<M>>>(
    pk: Row<M>["id"],
    name: K,
  ): RelationManager<RelatedModel<M, K>>
  related(pk: Row<M>["id"], name: string): RelationManager {
    const rel = this.#state.model.meta.relation(name)
    if (!rel || rel.type === "forward") {
      throw ormErrors.INVALID_QUERY({
        reason: `"${name}" is not a many-to-many or reverse relation of ${this.#state.model.name}`,
      })
    }
    return new RelationManager(this.#ex, rel, pk)
  }
}
