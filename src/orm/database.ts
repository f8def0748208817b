/**
 * The database handle returned by `connect()`.
 * @module
 */
import type { Kysely } from "kysely"
import type { SqlDialect } from "./dialects/dialect.js"
import {
  type AnyDatabase,
  checkIsolation,
  Executor,
  runTransaction,
  type Transaction,
  type TransactionOptions,
} from "./executor.js"

/**
 * A pooled connection to one database. Create it with `connect(url)`.
 *
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await db.close()
 * ```
 */
export class Database extends Executor {
  readonly dialect: SqlDialect
  readonly kysely: Kysely<AnyDatabase>
  /** The URL the handle was opened with (password removed). */
  readonly url: string

  /** @internal Use `connect()`. */
  constructor(kysely: Kysely<AnyDatabase>, dialect: SqlDialect, url: string) {
    super()
    this.kysely = kysely
    this.dialect = dialect
    this.url = url
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  transaction<T>(options: TransactionOptions, fn: (tx: Transaction) => Promise<T>): Promise<T>
  async transaction<T>(
    a: TransactionOptions | ((tx: Transaction) => Promise<T>),
    b?: (tx: Transaction) => Promise<T>,
  ): Promise<T> {
    const options = typeof a === "function" ? {} : a
    const fn = typeof a === "function" ? a : (b as (tx: Transaction) => Promise<T>)
    checkIsolation(options)
    return runTransaction(this.kysely, this.dialect, options, fn)
  }

  /** Outside a transaction there is nothing to wait for: runs `fn` now. */
  onCommit(fn: () => void | Promise<void>): void | Promise<void> {
    return fn()
  }

  /** Closes the pool (or the SQLite file). */
  async close(): Promise<void> {
    await this.kysely.destroy()
  }
}
