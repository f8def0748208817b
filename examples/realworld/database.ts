import { mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type ConnectOptions, connect, type Database, Migrator } from "truss/orm"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** The SQLite file used when DATABASE_URL is not set (git-ignored). */
export const DEFAULT_DATABASE = `sqlite:${here("./data/conduit.db")}`

/** Opens the database (`DATABASE_URL` or SQLite) and applies pending migrations. */
export async function openDatabase(
  url = DEFAULT_DATABASE,
  options?: ConnectOptions,
): Promise<Database> {
  if (url === DEFAULT_DATABASE) mkdirSync(here("./data/"), { recursive: true })
  return migrate(await connect(url, options))
}

/** Applies the example's pending migrations to `db`. */
export async function migrate(db: Database): Promise<Database> {
  await new Migrator(db, { dir: here("./migrations/") }).migrate()
  return db
}
