import type { App } from "truss"
import type { Database } from "truss/orm"
import { onTestFinished } from "vitest"
import { createApp, type DemoOptions } from "./app.js"
import { openDatabase } from "./database.js"

/**
 * The demo app on a fresh, migrated in-memory SQLite database, closed when the
 * calling test ends.
 */
export async function testApp(
  options: Omit<DemoOptions, "db"> = {},
): Promise<{ app: App; db: Database }> {
  const db = await openDatabase("sqlite::memory:")
  onTestFinished(() => db.close())
  return { app: createApp({ ...options, db }), db }
}

/** {@link testApp}'s app alone. */
export async function demoApp(options: Omit<DemoOptions, "db"> = {}): Promise<App> {
  return (await testApp(options)).app
}
