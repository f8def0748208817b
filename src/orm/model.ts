/**
 * `model()`: declares a table once and derives its types, validation and metadata.
 * @module
 */

import { ormErrors } from "./errors.js"
import { Field } from "./fields/field.js"
import { type ModelMeta, resolveMeta } from "./meta.js"
import { isIdentifier } from "./naming.js"
import { registerModel } from "./registry.js"
import { type JsonSchema, modelJsonSchema, modelSchema, type StandardSchemaV1 } from "./schema.js"
import type { CreateShape, FieldMap, RowShape, UpdateShape } from "./types.js"

/**
 * An index declared in model options.
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Event = model("event", { kind: field.string(), at: field.datetime() }, {
 *   indexes: [{ fields: ["kind", "at"] }],
 * })
 * ```
 */
export interface IndexOptions {
  /** Field names, in order. */
  fields: readonly string[]
  /** Make it a UNIQUE index. @default false */
  unique?: boolean
  /** Index name. @default `<table>_<columns>_idx` (or `_uniq`) */
  name?: string
}

/**
 * A table constraint declared in model options.
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Price = model("price", { amount: field.integer(), currency: field.string({ max: 3 }) }, {
 *   constraints: [
 *     { type: "check", name: "price_amount_positive", check: "amount >= 0" },
 *     { type: "unique", name: "price_amount_currency_key", fields: ["amount", "currency"] },
 *   ],
 * })
 * ```
 */
export type ConstraintOptions =
  | { type: "unique"; name: string; fields: readonly string[] }
  | { type: "check"; name: string; check: string }

/**
 * Lifecycle hooks, run around `create`, `save` and `delete` of single rows.
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Page = model("page", { title: field.string() }, {
 *   hooks: { afterSave: (row, { created }) => console.log(created ? "created" : "updated", row.id) },
 * })
 * ```
 */
export interface ModelHooks<R> {
  /** Runs before insert or update with the values about to be written; may change them. */
  beforeSave?(values: Partial<R>, info: { created: boolean }): void | Promise<void>
  /** Runs after insert or update with the saved row. */
  afterSave?(row: R, info: { created: boolean }): void | Promise<void>
  /** Runs before a single row is deleted by `deleteRow()`. */
  beforeDelete?(row: R): void | Promise<void>
  /** Runs after a single row is deleted by `deleteRow()`. */
  afterDelete?(row: R): void | Promise<void>
}

/** Options of {@link model}.
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Session = model("session", { data: field.json() }, { table: "sessions", primaryKey: "uuid" })
 * ```
 */
export interface ModelOptions {
  /** Table name. @default the model name */
  table?: string
  /** Type of the automatic `id` column. @default "bigint" */
  primaryKey?: "bigint" | "uuid"
  /** Default ordering, e.g. `["-createdAt"]`. */
  ordering?: readonly string[]
  /** Extra indexes. */
  indexes?: readonly IndexOptions[]
  /** Unique and check constraints. */
  constraints?: readonly ConstraintOptions[]
  /** Human name for forms and the admin. */
  label?: string
  /**
   * The app the model belongs to, like Django's app label: it groups models in the
   * admin and prefixes permission codenames (`blog.change_post`). @default "app"
   */
  app?: string
  /** Custom permissions besides add, change, delete and view: `[codename, name]` pairs. */
  permissions?: readonly (readonly [codename: string, name: string])[]
  /** Set by the ORM on the link model of a many-to-many field (like Django's `auto_created`). */
  autoCreated?: boolean
}

/** Options of {@link model}, with typed hooks and a cross-field `clean` check. */
export interface TypedModelOptions<R> extends ModelOptions {
  /** Lifecycle hooks. */
  hooks?: ModelHooks<R>
  /** Cross-field validation before save: return `{ field: message }` to reject. */
  clean?(values: Partial<R>): Record<string, string> | undefined
}

/**
 * A model: a table definition with inferred types. Use it with `db.query(Model)`.
 *
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const User = model("user", { username: field.string({ max: 50, unique: true }) })
 * User.meta.table // "user"
 * ```
 */
export interface Model<N extends string = string, F extends FieldMap = FieldMap, PK = unknown> {
  /** The model name. */
  readonly name: N
  /** The declared fields (without the automatic `id`). */
  readonly fields: F
  /** The options passed to {@link model}. */
  readonly options: Readonly<TypedModelOptions<RowShape<F, PK>>>
  /** Phantom: the primary key type. */
  readonly "~pk": PK
  /** Resolved table metadata (columns, relations). Resolved on first use. */
  readonly meta: ModelMeta
  /** Standard Schema v1 validating create input. */
  readonly createSchema: StandardSchemaV1<unknown, CreateShape<F, PK>>
  /** Standard Schema v1 validating update input (every field optional). */
  readonly updateSchema: StandardSchemaV1<unknown, UpdateShape<F>>
  /** JSON Schema (draft 2020-12) of rows, create input or update input, for OpenAPI. */
  jsonSchema(kind?: "row" | "create" | "update"): JsonSchema
}

/** Any model.
 * @example
 * ```ts
 * import { type AnyModel, field, model } from "truss/orm"
 * const models: AnyModel[] = [model("tag", { name: field.string() })]
 * ```
 */
export type AnyModel = Model<string, FieldMap, unknown>

export { allModels } from "./registry.js"

type PkType<P> = P extends "uuid" ? string : number

/**
 * Declares a model. Types for rows, create and update input are inferred from
 * `fields`; an `id` primary key is added automatically.
 *
 * @param name - Model name; the default table name.
 * @param fields - Field declarations built with `field.*`.
 * @param options - Table name, primary key type, ordering, indexes, constraints, hooks.
 * @throws TRUSS_ERR_ORM_INVALID_MODEL when a name is not a plain identifier.
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Article = model("article", {
 *   title: field.string({ max: 200 }),
 *   views: field.integer({ default: 0 }),
 * }, { ordering: ["-id"] })
 * ```
 */
export function model<
  const N extends string,
  F extends FieldMap,
  const P extends "bigint" | "uuid" = "bigint",
>(
  name: N,
  fields: F,
  options?: TypedModelOptions<RowShape<F, PkType<P>>> & { primaryKey?: P },
): Model<N, F, PkType<P>> {
  const opts: TypedModelOptions<RowShape<F, PkType<P>>> = options ?? {}
  if (!isIdentifier(name)) {
    throw ormErrors.INVALID_MODEL({ model: name, reason: "the name must be a plain identifier" })
  }
  for (const key of Object.keys(fields)) {
    if (key === "id" || !isIdentifier(key)) {
      throw ormErrors.INVALID_MODEL({
        model: name,
        reason: `field "${key}" must be an identifier other than "id" (id is automatic)`,
      })
    }
  }
  let meta: ModelMeta | undefined
  const self = {
    name,
    fields: Object.freeze({ ...fields }),
    options: Object.freeze({ ...opts }),
    get meta(): ModelMeta {
      meta ??= resolveMeta(self as unknown as AnyModel, model)
      return meta
    },
    createSchema: undefined as unknown,
    updateSchema: undefined as unknown,
    jsonSchema(kind: "row" | "create" | "update" = "row"): JsonSchema {
      return modelJsonSchema(self as unknown as AnyModel, kind)
    },
  }
  self.createSchema = modelSchema(self as unknown as AnyModel, "create")
  self.updateSchema = modelSchema(self as unknown as AnyModel, "update")
  const frozen = Object.freeze(self) as unknown as Model<N, F, PkType<P>>
  registerModel(frozen as unknown as AnyModel)
  return frozen
}

/** True for scalar fields (not relations). */
export function isScalar(f: unknown): f is Field<unknown, boolean, boolean> {
  return f instanceof Field
}
