/**
 * `connect(url)`: picks the dialect folder for the URL's scheme, opens its driver
 * (loaded lazily, so an app on SQLite never loads `pg` or `mysql2`) and wraps it in a
 * {@link Database}.
 * @module
 */
import { Kysely } from "kysely"
import { errors } from "../kit.js"
import { Database } from "./database.js"
import { type OpenDriver, redactUrl } from "./dialects/driver.js"
import { openMysql } from "./dialects/mysql/open.js"
import { openPostgres } from "./dialects/postgres/open.js"
import { openSqliteUrl } from "./dialects/sqlite/open.js"
import { ormErrors } from "./errors.js"
import type { AnyDatabase } from "./executor.js"

/**
 * Options of {@link connect}.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:", { poolSize: 5, onQuery: (q) => console.log(q.sql, q.durationMs) })
 * ```
 */
export interface ConnectOptions {
  /** Maximum pooled connections (PostgreSQL, MySQL). @default 10 */
  poolSize?: number
  /** Called after every query with its SQL, parameters and duration, e.g. for logs. */
  onQuery?: (event: { sql: string; parameters: readonly unknown[]; durationMs: number }) => void
  /**
   * PostgreSQL: run the first 200 distinct statements outside transactions as named
   * prepared statements, so the server parses and plans each once per connection
   * (about half its CPU per simple query). Leave off behind PgBouncer in transaction
   * mode before 1.21, which cannot keep prepared statements. @default false
   */
  prepare?: boolean
  /**
   * PostgreSQL: send queries outside transactions over this many pipelined
   * connections (besides the pool, which transactions keep using). Queries started
   * together leave in one write and are answered in a few reads: about 2.5× less
   * client CPU per query with many concurrent lookups. A slow query delays those
   * queued behind it on its connection, so keep long reports on a separate handle.
   * Needs pg ≥ 8.21. @default undefined (every query takes a pool connection)
   */
  pipeline?: number
  /**
   * MySQL/MariaDB: `false` never uses `INSERT … RETURNING`, even on MariaDB ≥ 10.5 which
   * has it; inserted rows are read back by primary key, as on MySQL, which has no
   * RETURNING (detected at connect with `SELECT VERSION()`). For testing the MySQL path
   * on MariaDB. Ignored on SQLite and PostgreSQL. @default true
   */
  returning?: boolean
}

/** Each URL scheme and the dialect folder that opens it. */
const DRIVERS: readonly (readonly [RegExp, OpenDriver])[] = [
  [/^sqlite:/, openSqliteUrl],
  [/^postgres(ql)?:\/\//, openPostgres],
  [/^(mysql|mariadb):\/\//, openMysql],
]

/**
 * Opens a database: `sqlite:./app.db`, `sqlite::memory:`, `postgres://user@host/db`
 * or `mysql://user@host/db` (MySQL and MariaDB).
 *
 * @param url - The database URL.
 * @param options - Pool size and a query listener.
 * @throws TRUSS_ERR_ORM_INVALID_URL for other URLs, TRUSS_ERR_ORM_DRIVER_MISSING when the driver is not installed.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await db.close()
 * ```
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Database> {
  const pipeline = options.pipeline
  if (pipeline !== undefined && !(Number.isInteger(pipeline) && pipeline >= 1 && pipeline <= 64)) {
    throw errors.INVALID_OPTION({
      option: "connect({ pipeline })",
      reason: `${pipeline} is not a connection count; use an integer from 1 to 64, or leave it out`,
    })
  }
  const open = DRIVERS.find(([scheme]) => scheme.test(url))?.[1]
  if (!open) throw ormErrors.INVALID_URL({ url: redactUrl(url) })
  const driver = await open(url, options)
  const onQuery = options.onQuery
  const kysely = new Kysely<AnyDatabase>({
    dialect: driver.dialect,
    log: onQuery
      ? (e) => {
          const { sql, parameters } = e.query
          onQuery({ sql, parameters, durationMs: e.queryDurationMillis })
        }
      : undefined,
  })
  const { direct, one, shared, close, poolStats } = driver
  return new Database(kysely, await driver.sqlDialect(kysely), redactUrl(url), {
    direct,
    one,
    shared,
    onQuery,
    close,
    poolStats,
  })
}
