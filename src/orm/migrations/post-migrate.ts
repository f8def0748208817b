/**
 * Hooks that run after every `migrate`, like Django's `post_migrate` signal: a battery
 * registers one when imported (truss/auth creates each model's permissions).
 * @module
 */
import type { Database } from "../database.js"

/**
 * What a {@link PostMigrateHook} learns about the migrate that just ran.
 * @example
 * ```ts
 * import type { MigratedInfo } from "truss/orm"
 * const report = (info: MigratedInfo) => `${info.ran.length} ran, ${info.tables.size} tables`
 * ```
 */
export interface MigratedInfo {
  /** The names of the migrations applied or unapplied by this run. */
  readonly ran: readonly string[]
  /** The tables the applied migrations describe (the app's models, by table name). */
  readonly tables: ReadonlySet<string>
}

/**
 * Runs after `migrate()` with the database and what the run did.
 * @example
 * ```ts
 * import type { PostMigrateHook } from "truss/orm"
 * const seed: PostMigrateHook = async (db, { tables }) => {
 *   if (tables.has("country")) console.log(`seed countries into ${db.url}`)
 * }
 * ```
 */
export type PostMigrateHook = (db: Database, info: MigratedInfo) => Promise<void> | void

const hooks = new Set<PostMigrateHook>()

/**
 * Registers `hook` to run after every `migrate()` (also when nothing was pending).
 * Returns a function that unregisters it.
 * @example
 * ```ts
 * import { onMigrated } from "truss/orm"
 * const off = onMigrated(async (db, { ran }) => console.log(`${db.url}: ${ran.length} ran`))
 * off()
 * ```
 */
export function onMigrated(hook: PostMigrateHook): () => void {
  hooks.add(hook)
  return () => hooks.delete(hook)
}

/** Runs the registered hooks in order. @internal */
export async function runPostMigrate(db: Database, info: MigratedInfo): Promise<void> {
  for (const hook of hooks) await hook(db, info)
}
