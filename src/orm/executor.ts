/**
 * The shared surface of a database handle and a transaction: run query sets, raw
 * SQL and nested transactions.
 * @module
 */
import { CompiledQuery, type Kysely, type QueryResult, type RawBuilder } from "kysely"
import type { SqlDialect } from "./dialects/dialect.js"
import { ormErrors } from "./errors.js"
import { toIntegrityError } from "./integrity.js"
import type { AnyModel } from "./model.js"
import { QuerySet } from "./query/query-set.js"
import type { Row } from "./types.js"

/** Loose table map for the Kysely escape hatch. */
export type AnyDatabase = Record<string, Record<string, unknown>>

/**
 * Transaction isolation levels. SQLite transactions are always serializable.
 * @example
 * ```ts
 * import type { IsolationLevel } from "truss/orm"
 * const level: IsolationLevel = "repeatable read"
 * ```
 */
export type IsolationLevel =
  | "read uncommitted"
  | "read committed"
  | "repeatable read"
  | "serializable"

/**
 * Options of `db.transaction()`.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await db.transaction({ isolation: "serializable" }, async (tx) => tx.query)
 * ```
 */
export interface TransactionOptions {
  /** Isolation level of the outermost transaction (ignored on SQLite). */
  isolation?: IsolationLevel
}

/**
 * What `db` and `tx` share. `query(Model)` returns a query set bound to this handle.
 *
 * @example
 * ```ts
 * import { connect, field, model } from "truss/orm"
 * const Note = model("note", { body: field.text() })
 * const db = await connect("sqlite::memory:")
 * const notes = await db.query(Note).all()
 * ```
 */
export abstract class Executor {
  /** The SQL dialect of this database. */
  abstract readonly dialect: SqlDialect
  /** The Kysely instance (bound to the transaction's connection inside a transaction). */
  abstract readonly kysely: Kysely<AnyDatabase>

  /** Runs a compiled statement. Used by query sets; prefer `execute(sql\`…\`)` in apps. */
  async run(
    sql: string,
    parameters: readonly unknown[],
  ): Promise<QueryResult<Record<string, unknown>>> {
    this.assertOpen()
    try {
      // `return await` settles in fewer ticks than returning the promise, and gives the
      // one place where constraint violations become TRUSS_ERR_ORM_INTEGRITY.
      return await this.kysely.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(sql, [...parameters]),
      )
    } catch (err) {
      throw toIntegrityError(err)
    }
  }

  /**
   * @internal Like `run()`, but synchronous where the driver allows it (SQLite outside a
   * transaction): the query sets' hot paths await it without an extra promise.
   */
  exec(
    sql: string,
    parameters: readonly unknown[],
  ): QueryResult<Record<string, unknown>> | Promise<QueryResult<Record<string, unknown>>> {
    return this.run(sql, parameters)
  }

  /**
   * @internal Runs a statement that returns at most one row (a primary-key lookup) and
   * returns that row; synchronous where the driver allows it.
   */
  one(
    sql: string,
    parameters: readonly unknown[],
  ): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined> {
    return this.run(sql, parameters).then((r) => r.rows[0])
  }

  /** Throws when the handle can no longer run queries. */
  protected assertOpen(): void {}

  /**
   * Starts a lazy, immutable query set over a model.
   *
   * @example
   * ```ts
   * import { connect, field, model } from "truss/orm"
   * const Tag = model("tag", { name: field.string() })
   * const db = await connect("sqlite::memory:")
   * const first = await db.query(Tag).orderBy("name").first()
   * ```
   */
  query<M extends AnyModel>(model: M): QuerySet<M, Row<M>> {
    // Query sets are immutable, so one starting set per model is shared by every call.
    let qs = this.#queries.get(model)
    if (qs === undefined) {
      qs = QuerySet.of(model, this)
      this.#queries.set(model, qs)
    }
    return qs as QuerySet<M, Row<M>>
  }

  readonly #queries = new Map<AnyModel, QuerySet<AnyModel, unknown>>()

  /**
   * Runs raw SQL built with the `sql` tag: values are bound as parameters and
   * `sql.ref()`/`sql.table()` quote identifiers.
   *
   * @example
   * ```ts
   * import { connect, sql } from "truss/orm"
   * const db = await connect("sqlite::memory:")
   * const rows = await db.execute<{ n: number }>(sql`SELECT ${1} AS n`)
   * ```
   */
  async execute<R>(query: RawBuilder<R>): Promise<R[]> {
    this.assertOpen()
    try {
      return (await query.execute(this.kysely)).rows
    } catch (err) {
      throw toIntegrityError(err)
    }
  }

  /** Runs `fn` in a transaction (a savepoint when already in one); rolls back if it throws. */
  abstract transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  abstract transaction<T>(
    options: TransactionOptions,
    fn: (tx: Transaction) => Promise<T>,
  ): Promise<T>

  /** Runs `fn` after the outermost transaction commits (now, outside a transaction). */
  abstract onCommit(fn: () => void | Promise<void>): void | Promise<void>
}

/**
 * A transaction or savepoint. Queries on it run on the transaction's connection.
 *
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await db.transaction(async (tx) => {
 *   tx.onCommit(() => console.log("committed"))
 * })
 * ```
 */
export class Transaction extends Executor {
  readonly dialect: SqlDialect
  readonly kysely: Kysely<AnyDatabase>
  #open = true
  #callbacks: (() => void | Promise<void>)[] = []
  #depth: number

  /** @internal */
  constructor(kysely: Kysely<AnyDatabase>, dialect: SqlDialect, depth: number) {
    super()
    this.kysely = kysely
    this.dialect = dialect
    this.#depth = depth
  }

  protected override assertOpen(): void {
    if (!this.#open) throw ormErrors.TRANSACTION_CLOSED()
  }

  /** @internal Closes the handle and hands back its onCommit callbacks. */
  close(): (() => void | Promise<void>)[] {
    this.#open = false
    return this.#callbacks
  }

  onCommit(fn: () => void | Promise<void>): void {
    this.assertOpen()
    this.#callbacks.push(fn)
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  transaction<T>(options: TransactionOptions, fn: (tx: Transaction) => Promise<T>): Promise<T>
  async transaction<T>(
    a: TransactionOptions | ((tx: Transaction) => Promise<T>),
    b?: (tx: Transaction) => Promise<T>,
  ): Promise<T> {
    const fn = typeof a === "function" ? a : (b as (tx: Transaction) => Promise<T>)
    const name = `truss_sp_${this.#depth}`
    const q = this.dialect.quote(name)
    await this.run(`SAVEPOINT ${q}`, [])
    const inner = new Transaction(this.kysely, this.dialect, this.#depth + 1)
    try {
      const result = await fn(inner)
      await this.run(`RELEASE SAVEPOINT ${q}`, [])
      this.#callbacks.push(...inner.close())
      return result
    } catch (err) {
      inner.close()
      await this.run(`ROLLBACK TO SAVEPOINT ${q}`, [])
      throw err
    }
  }
}

/** Runs `fn` in a new top-level transaction on a pinned connection, then the onCommit callbacks. */
export async function runTransaction<T>(
  pin: <R>(body: (conn: Kysely<AnyDatabase>) => Promise<R>) => Promise<R>,
  dialect: SqlDialect,
  options: TransactionOptions,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const callbacks = await pin(async (conn) => {
    const tx = new Transaction(conn, dialect, 1)
    const level = options.isolation?.toUpperCase()
    for (const statement of dialect.beginTransaction(level)) await tx.run(statement, [])
    let result: T
    try {
      result = await fn(tx)
    } catch (err) {
      tx.close()
      try {
        await conn.executeQuery(CompiledQuery.raw("ROLLBACK"))
      } catch (rollbackError) {
        throw new AggregateError([err, rollbackError], "The transaction failed and so did ROLLBACK")
      }
      throw err
    }
    await tx.run("COMMIT", [])
    return { result, callbacks: tx.close() }
  })
  for (const cb of callbacks.callbacks) await cb()
  return callbacks.result
}

const LEVELS = new Set(["read uncommitted", "read committed", "repeatable read", "serializable"])

/** Validates an isolation level (they are spliced into SQL). */
export function checkIsolation(options: TransactionOptions): void {
  if (options.isolation !== undefined && !LEVELS.has(options.isolation)) {
    throw ormErrors.INVALID_QUERY({ reason: `unknown isolation level "${options.isolation}"` })
  }
}
