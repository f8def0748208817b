/**
 * The field-name types admin options are checked against: a list column, search
 * field, filter or form field that the model does not have is a type error.
 * @module
 */
import type { AnyModel, Field, ForeignKeyField, ManyToManyField, Row } from "../orm/index.js"

type FieldsOf<M> = M extends { readonly fields: infer F } ? F : never

/**
 * Keys of the scalar fields of model `M` (not relations).
 * @example
 * ```ts
 * import type { ScalarKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: ScalarKey<typeof Post> = "title"
 * ```
 */
export type ScalarKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends Field<unknown, boolean, boolean> ? K : never
}[keyof FieldsOf<M>] &
  string

/**
 * Keys of the foreign-key and one-to-one fields of model `M`.
 * @example
 * ```ts
 * import type { ForeignKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: ForeignKey<typeof Post> = "author"
 * ```
 */
export type ForeignKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends ForeignKeyField ? K : never
}[keyof FieldsOf<M>] &
  string

/**
 * Keys of the many-to-many fields of model `M`.
 * @example
 * ```ts
 * import type { ManyKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const Post = model("post", { tags: field.manyToMany(() => Tag) })
 * const key: ManyKey<typeof Post> = "tags"
 * ```
 */
export type ManyKey<M> = {
  [K in keyof FieldsOf<M>]: FieldsOf<M>[K] extends ManyToManyField ? K : never
}[keyof FieldsOf<M>] &
  string

type TargetOf<M, K extends string> = K extends keyof FieldsOf<M>
  ? FieldsOf<M>[K] extends ForeignKeyField<infer T, boolean>
    ? T
    : never
  : never

/**
 * `author.email`: a scalar field of the model a foreign key points at.
 * @example
 * ```ts
 * import type { RelatedKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: RelatedKey<typeof Post> = "author.email"
 * ```
 */
export type RelatedKey<M> = {
  [K in ForeignKey<M>]: `${K}.${ScalarKey<TargetOf<M, K>> | "id"}`
}[ForeignKey<M>]

/**
 * A field an admin form can show: a scalar field, a foreign key (a select) or a
 * many-to-many field (checkboxes).
 * @example
 * ```ts
 * import type { FormField } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: FormField<typeof Post> = "author"
 * ```
 */
export type FormField<M> = ScalarKey<M> | ForeignKey<M> | ManyKey<M>

/**
 * A list column or ordering key: `id`, a field, a foreign key or `author.email`.
 * @example
 * ```ts
 * import type { ColumnKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: ColumnKey<typeof Post> = "author.email"
 * ```
 */
export type ColumnKey<M> = "id" | ScalarKey<M> | ForeignKey<M> | RelatedKey<M>

/**
 * A column computed from the row.
 * @example
 * ```ts
 * import type { ComputedColumn } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: ComputedColumn<typeof Post> = { label: "Length", value: (row) => row.title.length }
 * ```
 */
export interface ComputedColumn<M extends AnyModel> {
  /** The column header. */
  readonly label: string
  /** The cell's text (escaped when rendered). */
  value(row: Row<M>): unknown
  /** A field or `author.email` to sort this column by. */
  readonly sortBy?: ColumnKey<M>
}

/**
 * A list column: a field path or a computed column.
 * @example
 * ```ts
 * import type { ListColumn } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: ListColumn<typeof Post> = { label: "Length", value: (row) => row.title.length }
 * ```
 */
export type ListColumn<M extends AnyModel> = ColumnKey<M> | ComputedColumn<M>

/**
 * A list filter: a boolean, choices, enum, date or foreign-key field.
 * @example
 * ```ts
 * import type { FilterKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: FilterKey<typeof Post> = "author"
 * ```
 */
export type FilterKey<M> = ScalarKey<M> | ForeignKey<M>

/**
 * A search field: a scalar field or `author.email`.
 * @example
 * ```ts
 * import type { SearchKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: SearchKey<typeof Post> = "author.email"
 * ```
 */
export type SearchKey<M> = ScalarKey<M> | RelatedKey<M>

/**
 * An ordering key, `-` for descending.
 * @example
 * ```ts
 * import type { OrderingKey } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", { title: field.string(), author: field.foreignKey(() => Author) })
 * const key: OrderingKey<typeof Post> = "-title"
 * ```
 */
export type OrderingKey<M> = ColumnKey<M> | `-${ColumnKey<M>}`
