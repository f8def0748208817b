/**
 * The public argument and result types of query sets.
 * @module
 */
import type { ForeignKeyField } from "../fields/relations.js"
import type { FieldsOf, FilterOf, ForeignKeys, Row } from "../types.js"
import type { Condition, ConditionBuilder, Expression } from "./expressions.js"

/** The string keys of a row type. */
export type Keys<R> = keyof R & string

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

/** The row `selectRelated(key)` adds under `key`. */
export type RelatedRow<M, K> =
  FieldsOf<M>[K & keyof FieldsOf<M>] extends ForeignKeyField<infer T, infer N>
    ? N extends true
      ? Row<T> | null
      : Row<T>
    : never

/** The result of `aggregate()` / the columns `annotate()` adds. */
export type AggResult<A> = { [K in keyof A]: A[K] extends Expression<infer T> ? T : never }

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
