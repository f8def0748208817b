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
export class ForeignKeyField<
  M extends AnyModel = AnyModel,
  N extends boolean = boolean,
  K extends "foreignKey" | "oneToOne" = "foreignKey" | "oneToOne",
> {
  declare readonly "~target": M
  declare readonly "~null": N
  /** `"foreignKey"` or `"oneToOne"`. */
  readonly kind: K
  /** The target model thunk. */
  readonly target: ModelRef<M>
  /** The options passed to the builder. */
  readonly options: Readonly<ForeignKeyOptions>

  constructor(kind: K, target: ModelRef<M>, options: ForeignKeyOptions) {
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

/**
 * The reverse side of a relation declared on another model: `field.reverse(() => Article,
 * "author")` on `User` names the rows whose `author` points at the user. It is not a
 * column; it types `prefetchRelated`, `related()` and filters across the relation.
 *
 * `T` is the thunk (or `"self"`) as written: keeping the thunk's own type, rather than
 * the model it returns, lets two models refer to each other without a type annotation.
 *
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const User = model("user", {
 *   username: field.string(),
 *   articles: field.reverse(() => Article, "author"),
 * })
 * const Article = model("article", { author: field.foreignKey(() => User) })
 * ```
 */
export class ReverseField<T = unknown, V extends string = string> {
  declare readonly "~reverse": T
  /** Always `"reverse"`. */
  readonly kind = "reverse" as const
  /** The model holding the relation field: a thunk, or `"self"`. */
  readonly target: T
  /** The relation field on that model (a foreign key, one-to-one or many-to-many). */
  readonly via: V

  constructor(target: T, via: V) {
    this.target = target
    this.via = via
    Object.freeze(this)
  }
}
