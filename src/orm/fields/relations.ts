/**
 * Relation fields: foreign key, one-to-one and many-to-many.
 * @module
 */
import type { AnyModel } from "../model.js"

/**
 * What happens to rows that point at a deleted row.
 * @example
 * ```ts
 * import { type OnDelete, field, model } from "truss/orm"
 * const rule: OnDelete = "setNull"
 * const Team = model("team", { name: field.string() })
 * const Player = model("player", { team: field.foreignKey(() => Team, { null: true, onDelete: rule }) })
 * ```
 */
export type OnDelete = "cascade" | "setNull" | "restrict" | "protect" | "noAction"

/** Options of {@link ForeignKeyField}. */
export interface ForeignKeyOptions {
  /** What the database does when the referenced row is deleted. @default "cascade" */
  onDelete?: OnDelete
  /** Name of the reverse accessor on the target model, e.g. `"articles"`. */
  relatedName?: string
  /** Allow NULL. @default false */
  null?: boolean
  /** Adds an index on the column. @default true */
  index?: boolean
  /** Column name. @default `<field>_id` */
  dbColumn?: string
  /** Help text for forms and the admin. */
  help?: string
  /** Human label for forms and the admin. */
  label?: string
}

/** A target model, given lazily so models can point at each other, or `"self"`. */
export type ModelRef<M extends AnyModel> = (() => M) | "self"

/**
 * A foreign key (many-to-one) or, with `unique`, a one-to-one relation. The row holds
 * `<name>Id`; `selectRelated(name)` adds the related row under `name`.
 *
 * @example
 * ```ts
 * import { field } from "truss/orm"
 * // author: field.foreignKey(() => User, { onDelete: "cascade", relatedName: "articles" })
 * ```
 */
export class ForeignKeyField<M extends AnyModel = AnyModel, N extends boolean = boolean> {
  declare readonly "~target": M
  declare readonly "~null": N
  /** `"foreignKey"` or `"oneToOne"`. */
  readonly kind: "foreignKey" | "oneToOne"
  /** The target model thunk. */
  readonly target: ModelRef<M>
  /** The options passed to the builder. */
  readonly options: Readonly<ForeignKeyOptions>

  constructor(kind: "foreignKey" | "oneToOne", target: ModelRef<M>, options: ForeignKeyOptions) {
    this.kind = kind
    this.target = target
    this.options = Object.freeze({ ...options })
    Object.freeze(this)
  }
}

/** Options of {@link ManyToManyField}. */
export interface ManyToManyOptions {
  /** Name of the reverse accessor on the target model. */
  relatedName?: string
  /** Through-table name. @default `<table>_<field>` */
  dbTable?: string
  /** An explicit through model with foreign keys to both sides. */
  through?: () => AnyModel
  /** Human label for forms and the admin. */
  label?: string
  /** Help text for forms and the admin. */
  help?: string
}

/**
 * A many-to-many relation, stored in an automatic (or explicit) through table.
 *
 * @example
 * ```ts
 * import { field } from "truss/orm"
 * // tags: field.manyToMany(() => Tag, { relatedName: "articles" })
 * ```
 */
export class ManyToManyField<M extends AnyModel = AnyModel> {
  declare readonly "~target": M
  /** Always `"manyToMany"`. */
  readonly kind = "manyToMany" as const
  /** The target model thunk. */
  readonly target: ModelRef<M>
  /** The options passed to the builder. */
  readonly options: Readonly<ManyToManyOptions>

  constructor(target: ModelRef<M>, options: ManyToManyOptions) {
    this.target = target
    this.options = Object.freeze({ ...options })
    Object.freeze(this)
  }
}
