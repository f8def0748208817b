/**
 * The database handle returned by `connect()`.
 * @module
 */
import type { Kysely, QueryResult } from "kysely"
import type { ConnectOptions } from "./connect.js"
import type { SqlDialect } from "./dialects/dialect.js"
import type { DirectOne, DirectRunner, PoolStats } from "./dialects/driver.js"
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
  readonly #direct: DirectRunner | undefined
  readonly #one: DirectOne | undefined
  readonly #onQuery: ConnectOptions["onQuery"]
  readonly #shared: boolean
  readonly #close: (() => Promise<void>) | undefined
  readonly #poolStats: (() => PoolStats) | undefined
  #pinned = 0

  /** @internal Use `connect()`. */
  constructor(
    kysely: Kysely<AnyDatabase>,
    dialect: SqlDialect,
    url: string,
    fast: {
      direct?: DirectRunner | undefined
      /** Runs a one-row statement synchronously (SQLite). */
      one?: DirectOne | undefined
      /** True when the direct runner uses a pool, so it may run beside a transaction. */
      shared?: boolean
      onQuery?: ConnectOptions["onQuery"]
      /** Closes what the direct runner holds besides the pool (pipelined connections). */
      close?: (() => Promise<void>) | undefined
      /** The pool's counts (PostgreSQL, MySQL); none means one connection (SQLite). */
      poolStats?: (() => PoolStats) | undefined
    } = {},
  ) {
    super()
    this.kysely = kysely
    this.dialect = dialect
    this.url = url
    this.#direct = fast.direct
    this.#one = fast.one
    this.#onQuery = fast.onQuery
    this.#shared = fast.shared ?? false
    this.#close = fast.close
    this.#poolStats = fast.poolStats
  }

  /**
   * The pool's connections right now: open, idle, and queries waiting for one. SQLite
   * has one connection, busy while a transaction holds it. With PostgreSQL's `pipeline`
   * option, the pipelined connections are not in the pool and not counted. `metrics(app, { pools: { main: db } })`
   * from truss/ops reports these at each scrape.
   * @example
   * ```ts
   * import { connect } from "truss/orm"
   * const db = await connect("sqlite::memory:")
   * db.poolStats() // { totalCount: 1, idleCount: 1, waitingCount: 0 }
   * await db.close()
   * ```
   */
  poolStats(): PoolStats {
    if (this.#poolStats !== undefined) return this.#poolStats()
    return { totalCount: 1, idleCount: this.#pinned > 0 ? 0 : 1, waitingCount: 0 }
  }

  override async run(
    sql: string,
    parameters: readonly unknown[],
  ): Promise<QueryResult<Record<string, unknown>>> {
    // SQLite has one connection: run directly on the cached statement unless a
    // transaction holds it, in which case Kysely's mutex makes us wait our turn.
    // PostgreSQL's pool has other connections, so it never has to wait.
    const direct = this.#direct
    if (direct === undefined || (this.#pinned > 0 && !this.#shared))
      return super.run(sql, parameters)
    if (this.#onQuery === undefined) return direct(sql, parameters)
    const start = performance.now()
    const result = await direct(sql, parameters)
    this.#onQuery({ sql, parameters, durationMs: performance.now() - start })
    return result
  }

  override exec(
    sql: string,
    parameters: readonly unknown[],
  ): QueryResult<Record<string, unknown>> | Promise<QueryResult<Record<string, unknown>>> {
    const direct = this.#direct
    if (direct === undefined || (this.#pinned > 0 && !this.#shared) || this.#onQuery !== undefined)
      return this.run(sql, parameters)
    return direct(sql, parameters)
  }

  override one(
    sql: string,
    parameters: readonly unknown[],
  ): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined> {
    const one = this.#one
    if (one === undefined || this.#pinned > 0 || this.#onQuery !== undefined)
      return super.one(sql, parameters)
    return one(sql, parameters)
  }

  /** @internal Runs `fn` on one connection held for its whole duration. */
  async pin<T>(fn: (conn: Kysely<AnyDatabase>) => Promise<T>): Promise<T> {
    this.#pinned++
    try {
      return await this.kysely.connection().execute(fn)
    } finally {
      this.#pinned--
    }
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
    return runTransaction((body) => this.pin(body), this.dialect, options, fn)
  }

  /** Outside a transaction there is nothing to wait for: runs `fn` now. */
  onCommit(fn: () => void | Promise<void>): void | Promise<void> {
    return fn()
  }

  /** Closes the pool (or the SQLite file). */
  async close(): Promise<void> {
    await this.#close?.()
    await this.kysely.destroy()
  }
}
