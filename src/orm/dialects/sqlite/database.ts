/**
 * Opens better-sqlite3 with foreign keys on, WAL for files, and a prepared-statement
 * cache (Kysely prepares every query; reusing statements keeps the ORM near raw speed).
 * @module
 */
import type { SqliteDatabase, SqliteStatement } from "kysely"
import { ormErrors } from "../../errors.js"
import { toIntegrityError } from "../../integrity.js"
import { type DirectOne, type DirectRunner, loadDriver } from "../driver.js"

interface Statement extends SqliteStatement {
  get(parameters: readonly unknown[]): unknown
  columns(): { type: string | null }[]
  safeIntegers(on: boolean): Statement
}

interface BetterSqlite3 {
  prepare(sql: string): Statement
  pragma(source: string): unknown
  close(): void
}
type BetterSqlite3Ctor = new (file: string) => BetterSqlite3

const CACHE_SIZE = 200

/**
 * Opens a SQLite database file (or `:memory:`) for Kysely's SqliteDialect, plus a
 * direct runner the ORM uses when no transaction holds the connection.
 */
export async function openSqlite(
  file: string,
): Promise<{ database: SqliteDatabase; direct: DirectRunner; one: DirectOne }> {
  const Ctor = (await loadDriver<{ default: BetterSqlite3Ctor }>("better-sqlite3")).default
  let db: BetterSqlite3
  try {
    db = new Ctor(file)
  } catch (cause) {
    throw ormErrors.CANNOT_OPEN(
      { url: `sqlite:${file}`, reason: String((cause as Error).message ?? cause) },
      { cause },
    )
  }
  db.pragma("foreign_keys = ON")
  if (file !== ":memory:") db.pragma("journal_mode = WAL")
  const cache = new Map<string, Statement>()
  const database = {
    prepare(sql: string): Statement {
      let stmt = cache.get(sql)
      if (stmt) return stmt
      const fresh = db.prepare(sql)
      // BIGINT columns (field.bigint) read as BigInt so values past 2^53 stay exact.
      if (fresh.reader && fresh.columns().some((c) => c.type === "BIGINT")) fresh.safeIntegers(true)
      stmt = fresh
      if (cache.size >= CACHE_SIZE) {
        const oldest = cache.keys().next().value
        if (oldest !== undefined) cache.delete(oldest)
      }
      cache.set(sql, stmt)
      return stmt
    },
    close: () => db.close(),
  }
  const direct: DirectRunner = (sql, parameters) => {
    try {
      const stmt = database.prepare(sql)
      if (stmt.reader) return { rows: stmt.all(parameters) as Record<string, unknown>[] }
      const { changes, lastInsertRowid } = stmt.run(parameters)
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) }
    } catch (err) {
      throw toIntegrityError(err)
    }
  }
  // get() stops at the first row: only for statements that cannot return more.
  const one: DirectOne = (sql, parameters) => {
    try {
      return database.prepare(sql).get(parameters) as Record<string, unknown> | undefined
    } catch (err) {
      throw toIntegrityError(err)
    }
  }
  return { database, direct, one }
}
