/**
 * The field-name types admin options are checked against: a list column, search
 * field, filter or form field that the model does not have is a type error.
 * @module
 */
import type { AnyModel, Field, ForeignKeyField, ManyToManyField, Row } from "../orm/index.js"

type FieldsOf<M> = M extends { readonly fields: infer F } ? F : never

/** Keys of the scalar fields of model `M` (not relations). */
export type ScalarKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends Field<unknown, boolean, boolean> ? K : never
}[keyof FieldsOf<M>] &
  string

/** Keys of the foreign-key and one-to-one fields of model `M`. */
export type ForeignKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends ForeignKeyField ? K : never
}[keyof FieldsOf<M>] &
  string

/** Keys of the many-to-many fields of model `M`. */
export type ManyKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends ManyToManyField ? K : never
}[keyof FieldsOf<M>] &
  string

type TargetOf<M, K extends string> = K extends keyof FieldsOf<M>
  ? FieldsOf<M>[K] extends ForeignKeyField<infer T, boolean>
    ? T
    : never
  : never

/** `author.email`: a scalar field of the model a foreign key points at. */
export type RelatedKey<M> = {
  [K in ForeignKey<M>]: `${K}.${ScalarKey<TargetOf<M, K>> | "id"}`
}[ForeignKey<M>]

/**
 * A field an admin form can show: a scalar field, a foreign key (a select) or a
 * many-to-many field (checkboxes).
 */
export type FormField<M> = ScalarKey<M> | ForeignKey<M> | ManyKey<M>

/** A list column or ordering key: `id`, a field, a foreign key or `author.email`. */
export type ColumnKey<M> = "id" | ScalarKey<M> | ForeignKey<M> | RelatedKey<M>

/** A column computed from the row. */
export interface ComputedColumn<M extends AnyModel> {
  /** The column header. */
  readonly label: string
  /** The cell's text (escaped when rendered). */
  value(row: Row<M>): unknown
  /** A field or `author.email` to sort this column by. */
  readonly sortBy?: ColumnKey<M>
}

/** A list column: a field path or a computed column. */
export type ListColumn<M extends AnyModel> = ColumnKey<M> | ComputedColumn<M>

/** A list filter: a boolean, choices, enum, date or foreign-key field. */
export type FilterKey<M> = ScalarKey<M> | ForeignKey<M>

/** A search field: a scalar field or `author.email`. */
export type SearchKey<M> = ScalarKey<M> | RelatedKey<M>

/** An ordering key, `-` for descending. */
export type OrderingKey<M> = ColumnKey<M> | `-${ColumnKey<M>}`
