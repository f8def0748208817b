import { fileURLToPath } from "node:url"
import { connect, type Database, Migrator } from "truss/orm"

const MIGRATIONS = fileURLToPath(new URL("./migrations/", import.meta.url))

/**
 * Opens the demo database and applies pending migrations, so a fresh clone
 * creates its tables on the first `npm start`.
 * @param url - e.g. `sqlite:examples/demo/data/demo.db` or `sqlite::memory:`.
 */
export async function openDatabase(url: string, log?: (line: string) => void): Promise<Database> {
  const db = await connect(url)
  await new Migrator(db, { dir: MIGRATIONS, ...(log ? { log } : {}) }).migrate()
  return db
}
