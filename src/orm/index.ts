/**
 * `truss/orm`: typed models, relations, lazy query sets, transactions and migrations
 * on SQLite, PostgreSQL and MySQL/MariaDB, built on Kysely.
 *
 * @example
 * ```ts
 * import { connect, field, model } from "truss/orm"
 * const Note = model("note", { body: field.text(), done: field.boolean({ default: false }) })
 * const db = await connect("sqlite::memory:")
 * const open = await db.query(Note).filter({ done: false }).count()
 * ```
 * @module
 */
export { defineConfig, type TrussConfig } from "./config.js"
export { type ConnectOptions, connect } from "./connect.js"
export { Database } from "./database.js"
export type { PoolStats } from "./dialects/driver.js"
export { ormErrors } from "./errors.js"
export {
  Executor,
  type IsolationLevel,
  Transaction,
  type TransactionOptions,
} from "./executor.js"
export { field, type JsonValue } from "./fields/builders.js"
export { Field, type FieldKind, type FieldOptions, type Validator } from "./fields/field.js"
export {
  ForeignKeyField,
  ManyToManyField,
  type OnDelete,
  ReverseField,
} from "./fields/relations.js"
export type { IntegrityKind, IntegrityParams } from "./integrity.js"
export {
  createTables,
  Migrator,
  type MigratorOptions,
} from "./migrations/migrator.js"
export type { Migration, Operation } from "./migrations/operations.js"
export { type MigratedInfo, onMigrated, type PostMigrateHook } from "./migrations/post-migrate.js"
export {
  type AnyModel,
  type ConstraintOptions,
  type IndexOptions,
  type Model,
  type ModelHooks,
  type ModelOptions,
  model,
} from "./model.js"
export {
  type Aggregate,
  avg,
  Condition,
  type ConditionBuilder,
  count,
  Expression,
  F,
  has,
  max,
  min,
  sum,
} from "./query/expressions.js"
export type { Prefetched, PrefetchPath } from "./query/prefetch-types.js"
export { type FilterArg, type OrderKey, type PageCursor, QuerySet } from "./query/query-set.js"
export { RelationManager } from "./query/related.js"
export { sql } from "./raw.js"
export { allModels } from "./registry.js"
export type { JsonSchema, StandardIssue, StandardResult, StandardSchemaV1 } from "./schema.js"
export type { CreateInput, FieldMap, FilterOf, Lookups, Row, UpdateInput } from "./types.js"
