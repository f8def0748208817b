/** Opens `sqlite:<file>` URLs on better-sqlite3. @module */
import { SqliteDialect } from "kysely"
import { ormErrors } from "../../errors.js"
import type { OpenDriver } from "../driver.js"
import { openSqlite } from "./database.js"
import { sqliteDialect } from "./dialect.js"

/** `sqlite:./app.db`, `sqlite:///abs/path.db` or `sqlite::memory:`. */
export const openSqliteUrl: OpenDriver = async (url) => {
  const file = url.slice("sqlite:".length).replace(/^\/\//, "")
  if (!file) throw ormErrors.INVALID_URL({ url })
  const opened = await openSqlite(file)
  return {
    dialect: new SqliteDialect({ database: opened.database }),
    direct: opened.direct,
    one: opened.one,
    shared: false,
    sqlDialect: () => sqliteDialect,
  }
}
