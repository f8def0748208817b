/**
 * What each dialect folder's `open.ts` gives `connect()`: a Kysely dialect on its
 * driver, optional direct runners for the hot path, and the SQL dialect, which MySQL
 * reads from the server once Kysely can query it.
 * @module
 */
import type { Dialect, Kysely, QueryResult } from "kysely"
import type { ConnectOptions } from "../connect.js"
import { ormErrors } from "../errors.js"
import type { AnyDatabase } from "../executor.js"
import type { SqlDialect } from "./dialect.js"

/** Runs one statement outside Kysely's executor: a cached SQLite statement, or the pg pool. */
export type DirectRunner = (
  sql: string,
  parameters: readonly unknown[],
) => QueryResult<Record<string, unknown>> | Promise<QueryResult<Record<string, unknown>>>

/** Runs a statement returning at most one row (synchronously on SQLite). */
export type DirectOne = (
  sql: string,
  parameters: readonly unknown[],
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>

/**
 * How a database's connections are used right now: open, idle, and queries waiting
 * for one (`pg`'s Pool names). Read it with `db.poolStats()`.
 * @example
 * ```ts
 * import { connect, type PoolStats } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const stats: PoolStats = db.poolStats() // { totalCount: 1, idleCount: 1, waitingCount: 0 }
 * await db.close()
 * ```
 */
export interface PoolStats {
  readonly totalCount: number
  readonly idleCount: number
  readonly waitingCount: number
}

/** A database driver opened for one URL. */
export interface OpenedDriver {
  readonly dialect: Dialect
  readonly direct?: DirectRunner
  readonly one?: DirectOne
  /** Whether other processes share the database (a server, not a file). */
  readonly shared: boolean
  /** The pool's connection counts; without it the database has one connection (SQLite). */
  readonly poolStats?: () => PoolStats
  /** Closes what Kysely does not own (e.g. PostgreSQL pipelines). */
  readonly close?: () => Promise<void>
  /** The SQL dialect for this connection. */
  sqlDialect(kysely: Kysely<AnyDatabase>): SqlDialect | Promise<SqlDialect>
}

/** Opens a driver for `url` (already matched to the dialect). */
export type OpenDriver = (url: string, options: ConnectOptions) => Promise<OpenedDriver>

/** Imports a driver package, or fails with how to install it. */
export async function loadDriver<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (cause) {
    throw ormErrors.DRIVER_MISSING({ driver: name }, { cause })
  }
}

/** `//user:secret@` becomes `//user:***@`, for messages and `db.url`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")
}
