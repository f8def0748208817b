import type { Database } from "truss/orm"
import { onTestFinished } from "vitest"
import { createApp } from "./app.js"
import { migrate, openDatabase } from "./database.js"

/** The app on `db` (migrated here), or on a fresh in-memory SQLite database closed after the test. */
export async function testConduit(db?: Database, debug = true) {
  if (db === undefined) {
    db = await openDatabase("sqlite::memory:")
    onTestFinished(() => db?.close())
  } else await migrate(db)
  const app = await createApp({ db, secret: "test-secret-test-secret-test-secret", debug })
  return { app, db }
}

/** The app's type, for `createClient<Conduit>(app)`. */
export type Conduit = Awaited<ReturnType<typeof createApp>>
