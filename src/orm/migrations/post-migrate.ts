/**
 * Hooks that run after every `migrate`, like Django's `post_migrate` signal: a battery
 * registers one when imported (truss/auth creates each model's permissions).
 * @module
 */
import type { Database } from "../database.js"

/** Runs after `migrate()` with the database and the names of the migrations it ran. */
export type PostMigrateHook = (db: Database, ran: readonly string[]) => Promise<void> | void

const hooks = new Set<PostMigrateHook>()

/**
 * Registers `hook` to run after every `migrate()` (also when nothing was pending).
 * Returns a function that unregisters it.
 * @example
 * ```ts
 * import { onMigrated } from "truss/orm"
 * const off = onMigrated(async (db, ran) => console.log(`${db.url}: ${ran.length} applied`))
 * off()
 * ```
 */
export function onMigrated(hook: PostMigrateHook): () => void {
  hooks.add(hook)
  return () => hooks.delete(hook)
}

/** Runs the registered hooks in order. @internal */
export async function runPostMigrate(db: Database, ran: readonly string[]): Promise<void> {
  for (const hook of hooks) await hook(db, ran)
}
