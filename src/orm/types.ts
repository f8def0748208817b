/**
 * Types inferred from a model definition: rows, create and update input, filters.
 * @module
 */
import type { Field } from "./fields/field.js"
import type { ForeignKeyField, ManyToManyField, ReverseField } from "./fields/relations.js"
import type { Expression } from "./query/expressions.js"

/** Any field a model may declare. */
export type AnyModelField =
  | Field<unknown, boolean, boolean>
  | ForeignKeyField
  | ManyToManyField
  | ReverseField

/**
 * A model's field declarations.
 * @example
 * ```ts
 * import { type FieldMap, field } from "truss/orm"
 * const timestamps = { createdAt: field.datetime({ default: "now" }) } satisfies FieldMap
 * ```
 */
export type FieldMap = { readonly [key: string]: AnyModelField }

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}

type ValueOf<F> =
  F extends Field<infer T, infer N, boolean> ? (N extends true ? T | null : T) : never

/** Keys of scalar fields. */
export type ScalarKeys<F> = {
  [K in keyof F]: F[K] extends Field<unknown, boolean, boolean> ? K : never
}[keyof F] &
  string
/** Keys of foreign-key and one-to-one fields. */
export type ForeignKeys<F> = {
  [K in keyof F]: F[K] extends ForeignKeyField ? K : never
}[keyof F] &
  string
/** Keys of many-to-many fields. */
export type ManyKeys<F> = {
  [K in keyof F]: F[K] extends ManyToManyField ? K : never
}[keyof F] &
  string

/** Keys of declared reverse relations (`field.reverse`). */
export type ReverseKeys<F> = {
  [K in keyof F]: F[K] extends ReverseField ? K : never
}[keyof F] &
  string

/** Keys of every relation field: forward, many-to-many and declared reverse. */
export type RelationFieldKeys<F> = {
  [K in keyof F]: F[K] extends ForeignKeyField | ManyToManyField | ReverseField ? K : never
}[keyof F] &
  string

type RequiredScalar<F> = {
  [K in ScalarKeys<F>]: F[K] extends Field<unknown, boolean, false> ? K : never
}[ScalarKeys<F>]
type OptionalScalar<F> = Exclude<ScalarKeys<F>, RequiredScalar<F>>
type TargetPk<FK> = FK extends ForeignKeyField<infer M, boolean> ? PkOf<M> : never
type FkValue<FK> =
  FK extends ForeignKeyField<infer M, infer N> ? (N extends true ? PkOf<M> | null : PkOf<M>) : never
type RequiredFk<F> = {
  [K in ForeignKeys<F>]: F[K] extends ForeignKeyField<infer _M, false> ? K : never
}[ForeignKeys<F>]

/** The primary key type of a model (`number` or `string` for uuid keys). */
export type PkOf<M> = M extends { readonly "~pk": infer PK } ? PK : never
/** The field map of a model. */
export type FieldsOf<M> = M extends { readonly fields: infer F } ? F : never

/** The shape of a row read from the database. */
export type RowShape<F, PK> = Simplify<
  { id: PK } & { [K in ScalarKeys<F>]: ValueOf<F[K]> } & {
    [K in ForeignKeys<F> as `${K}Id`]: FkValue<F[K]>
  }
>

/**
 * A row of model `M`, as returned by queries.
 *
 * @example
 * ```ts
 * import { type Row, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * type TagRow = Row<typeof Tag> // { id: number; name: string }
 * ```
 */
export type Row<M> = RowShape<FieldsOf<M>, PkOf<M>>

/**
 * Input accepted by `create()`: fields without a default are required.
 *
 * @example
 * ```ts
 * import { type CreateInput, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string(), hits: field.integer({ default: 0 }) })
 * const input: CreateInput<typeof Tag> = { name: "ts" } // hits is optional
 * ```
 */
export type CreateInput<M> = CreateShape<FieldsOf<M>, PkOf<M>>

/** The shape behind {@link CreateInput}. */
export type CreateShape<F, PK> = Simplify<
  { id?: PK } & { [K in RequiredScalar<F>]: ValueOf<F[K]> } & {
    [K in OptionalScalar<F>]?: ValueOf<F[K]>
  } & { [K in RequiredFk<F> as `${K}Id`]: FkValue<F[K]> } & {
    [K in Exclude<ForeignKeys<F>, RequiredFk<F>> as `${K}Id`]?: FkValue<F[K]>
  }
>

/** The shape behind {@link UpdateInput}. */
export type UpdateShape<F> = Simplify<
  { [K in ScalarKeys<F>]?: ValueOf<F[K]> | Expression<ValueOf<F[K]>> } & {
    [K in ForeignKeys<F> as `${K}Id`]?: FkValue<F[K]>
  }
>

/**
 * Input accepted by `update()`: every field optional; values may be expressions
 * such as `F("views").add(1)`.
 *
 * @example
 * ```ts
 * import { type UpdateInput, field, model } from "truss/orm"
 * const Post = model("post", { views: field.integer({ default: 0 }) })
 * const change: UpdateInput<typeof Post> = { views: 3 }
 * ```
 */
export type UpdateInput<M> = UpdateShape<FieldsOf<M>>

/**
 * Comparison lookups on one field.
 * @example
 * ```ts
 * import type { Lookups } from "truss/orm"
 * const recent: Lookups<Date> = { gte: new Date("2024-01-01"), isNull: false }
 * ```
 */
export interface Lookups<T> {
  eq?: T | Expression<T>
  ne?: T | Expression<T>
  lt?: NonNullable<T> | Expression<T>
  lte?: NonNullable<T> | Expression<T>
  gt?: NonNullable<T> | Expression<T>
  gte?: NonNullable<T> | Expression<T>
  in?: readonly NonNullable<T>[]
  notIn?: readonly NonNullable<T>[]
  isNull?: boolean
  range?: readonly [NonNullable<T>, NonNullable<T>]
  contains?: T extends string ? string : never
  icontains?: T extends string ? string : never
  startsWith?: T extends string ? string : never
  endsWith?: T extends string ? string : never
}

/** A field condition: a value (equality) or a lookups object. */
export type FieldCondition<T> = T | Lookups<T>

type TargetOf<FK> =
  FK extends ForeignKeyField<infer M, boolean> ? M : FK extends ManyToManyField<infer M> ? M : never

/** The model holding the relation a reverse field `R` names; `Self` for `"self"`. */
export type ReverseModel<R, Self> =
  R extends ReverseField<infer T, string>
    ? T extends "self"
      ? Self
      : T extends () => infer M
        ? M
        : never
    : never

type ViaField<R, Self> =
  R extends ReverseField<unknown, infer V>
    ? FieldsOf<ReverseModel<R, Self>>[V & keyof FieldsOf<ReverseModel<R, Self>>]
    : never

/**
 * How many rows relation field `R` of a model `Self` loads: `"many"` (many-to-many and
 * reverse foreign keys), `"optional"` (a nullable foreign key, the reverse of a
 * one-to-one) or `"one"`.
 */
export type Cardinality<R, Self> = R extends ManyToManyField
  ? "many"
  : R extends ForeignKeyField<infer _M, infer N>
    ? N extends true
      ? "optional"
      : "one"
    : R extends ReverseField
      ? ViaField<R, Self> extends { readonly kind: "oneToOne" }
        ? "optional"
        : "many"
      : never

type RelationFilter<R, F, PK> =
  R extends ReverseField<infer T, string>
    ? T extends "self"
      ? Filter<F, PK>
      : T extends () => infer M
        ? Filter<FieldsOf<M>, PkOf<M>>
        : never
    : Filter<FieldsOf<TargetOf<R>>, PkOf<TargetOf<R>>>

/**
 * A filter on model fields: `{ title: "x", views: { gte: 10 }, author: { username: "ann" } }`.
 * Nested objects on relations filter across the relation (`author.username`), including
 * declared reverse relations (`{ articles: { views: { gt: 10 } } }` on `User`).
 */
export type Filter<F, PK> = { id?: FieldCondition<PK> } & {
  [K in ScalarKeys<F>]?: FieldCondition<ValueOf<F[K]>>
} & { [K in ForeignKeys<F> as `${K}Id`]?: FieldCondition<TargetPk<F[K]>> } & {
  [K in RelationFieldKeys<F>]?: RelationFilter<F[K], F, PK>
}

/**
 * A filter on model `M`.
 * @example
 * ```ts
 * import { type FilterOf, field, model } from "truss/orm"
 * const User = model("user", { username: field.string(), karma: field.integer() })
 * const f: FilterOf<typeof User> = { username: { startsWith: "a" }, karma: { gte: 10 } }
 * ```
 */
export type FilterOf<M> = Filter<FieldsOf<M>, PkOf<M>>

/** Keys of every relation of model `M`: forward, many-to-many and declared reverse. */
export type RelationKeys<M> = RelationFieldKeys<FieldsOf<M>>

/** The related model of relation field `K` on model `M` (forward, many-to-many or reverse). */
export type RelatedModel<M, K extends keyof FieldsOf<M>> = FieldsOf<M>[K] extends ReverseField
  ? ReverseModel<FieldsOf<M>[K], M>
  : TargetOf<FieldsOf<M>[K]>
