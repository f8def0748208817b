/**
 * `connect(url)`: opens a pooled database handle on a Kysely dialect. Drivers load
 * lazily, so an app on SQLite never loads `pg` or `mysql2`.
 * @module
 */
import {
  CompiledQuery,
  type Dialect,
  Kysely,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
} from "kysely"
import { errors } from "../kit.js"
import { Database } from "./database.js"
import type { SqlDialect } from "./dialects/dialect.js"
import { MYSQL_SERVER_SQL, mysqlDialect, mysqlServer } from "./dialects/mysql/dialect.js"
import { postgresDialect } from "./dialects/postgres/dialect.js"
import { type PgClientClass, PgPipeline } from "./dialects/postgres/pipeline.js"
import { type DirectOne, type DirectRunner, openSqlite } from "./dialects/sqlite/database.js"
import { sqliteDialect } from "./dialects/sqlite/dialect.js"
import { ormErrors } from "./errors.js"
import type { AnyDatabase } from "./executor.js"
import { toIntegrityError } from "./integrity.js"

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

async function load<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T
  } catch (cause) {
    throw ormErrors.DRIVER_MISSING({ driver: name }, { cause })
  }
}

interface PgResult {
  rows: Record<string, unknown>[]
  rowCount: number | null
  command: string
}
interface PgPool {
  query(config: { text: string; values: readonly unknown[]; name: string }): Promise<PgResult>
  query(text: string, values: readonly unknown[]): Promise<PgResult>
}
interface PgModule {
  default: {
    Pool: new (config: object) => PgPool
    Client: PgClientClass
    types: { getTypeParser(oid: number, format?: string): (value: string) => unknown }
  }
}
interface MysqlModule {
  createPool(config: object): object
}

const PG_DATE = 1082

const COUNTED = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"])

async function postgres(
  url: string,
  options: ConnectOptions,
): Promise<{
  dialect: Dialect
  direct: DirectRunner
  one: DirectOne
  close?: () => Promise<void>
}> {
  const pg = (await load<PgModule>("pg")).default
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === PG_DATE ? (v: string) => v : pg.types.getTypeParser(oid, format),
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types })
  const pipes = options.pipeline
    ? new PgPipeline(pg.Client, { connectionString: url, types }, options.pipeline)
    : undefined
  await pipes?.ready()
  const send = pipes
    ? (config: object) => pipes.query<PgResult>(config)
    : (config: object) => pool.query(config as never)
  // Queries outside transactions go straight to the pool (any free connection will do).
  const statement = options.prepare ? statementNames() : () => undefined
  const fail = (err: unknown): never => {
    throw toIntegrityError(err)
  }
  // One promise per query: the driver's, with the retry as its rejection handler.
  // pg copies every own property descriptor of a config object on each query (~2.7 µs
  // for { name, text, values }, measured under load) but keeps its prototype: an
  // unnamed statement goes as (text, values), a named one as an object whose only own
  // property is `values`, over a per-statement prototype holding `name` and `text`.
  const query = <T>(text: string, values: unknown[], done: (r: PgResult) => T): Promise<T> => {
    const proto = statement(text)
    let sent: Promise<PgResult>
    if (proto === undefined) sent = pipes ? send({ text, values }) : pool.query(text, values)
    else {
      const config = Object.create(proto) as { text: string; name: string; values: unknown[] }
      config.values = values
      sent = send(config)
    }
    return sent.then(done, (err: PgError) => {
      // A table changed under a prepared statement ("cached plan must not change
      // result type"): run this one unprepared.
      if (err.code === "0A000" && /cached plan/.test(String(err.message)))
        return pool.query(text, values).then(done, fail)
      return fail(err)
    })
  }
  const direct: DirectRunner = (sql, parameters) =>
    query(sql, parameters as unknown[], (r) =>
      r.rowCount !== null && COUNTED.has(r.command)
        ? { rows: r.rows, numAffectedRows: BigInt(r.rowCount) }
        : { rows: r.rows },
    )
  const one: DirectOne = (sql, parameters) => query(sql, parameters as unknown[], (r) => r.rows[0])
  const close = pipes && (() => pipes.close())
  return { dialect: new PostgresDialect({ pool: pool as never }), direct, one, close }
}

interface PgError {
  code?: string
  message?: string
}

const MAX_PREPARED = 200

/**
 * `{ name, text }` of the first {@link MAX_PREPARED} distinct data statements, made
 * once each (the prototype of their query configs); undefined after.
 */
function statementNames(): (sql: string) => { name: string; text: string } | undefined {
  const statements = new Map<string, { name: string; text: string }>()
  return (sql) => {
    let s = statements.get(sql)
    if (
      s === undefined &&
      statements.size < MAX_PREPARED &&
      /^(SELECT|INSERT|UPDATE|DELETE)\b/.test(sql)
    ) {
      s = { name: `truss_${statements.size}`, text: sql }
      statements.set(sql, s)
    }
    return s
  }
}

async function mysql(url: string, options: ConnectOptions): Promise<Dialect> {
  const mysql2 = await load<MysqlModule>("mysql2")
  const pool = mysql2.createPool({
    uri: url,
    connectionLimit: options.poolSize ?? 10,
    timezone: "Z",
    dateStrings: ["DATE"],
    supportBigNumbers: true,
    bigNumberStrings: true,
    jsonStrings: true,
  })
  return new MysqlDialect({ pool: pool as never })
}

/** The version and auto-increment settings of a MySQL/MariaDB server. */
async function serverRow(kysely: Kysely<AnyDatabase>): Promise<Record<string, unknown>> {
  const read = (sql: string) =>
    kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql)).then((r) => r.rows[0])
  // Without InnoDB there is no lock mode to read: ids are then never assumed consecutive.
  return (await read(MYSQL_SERVER_SQL).catch(() => read("SELECT VERSION() AS v"))) ?? {}
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")
}

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
  let dialect: Dialect
  let sqlDialect: SqlDialect
  let direct: DirectRunner | undefined
  let one: DirectOne | undefined
  let shared = false
  let close: (() => Promise<void>) | undefined
  const pipeline = options.pipeline
  if (pipeline !== undefined && !(Number.isInteger(pipeline) && pipeline >= 1 && pipeline <= 64)) {
    throw errors.INVALID_OPTION({
      option: "connect({ pipeline })",
      reason: `${pipeline} is not a connection count; use an integer from 1 to 64, or leave it out`,
    })
  }
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length).replace(/^\/\//, "")
    if (!file) throw ormErrors.INVALID_URL({ url })
    const opened = await openSqlite(file)
    direct = opened.direct
    one = opened.one
    dialect = new SqliteDialect({ database: opened.database })
    sqlDialect = sqliteDialect
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    ;({ dialect, direct, one, close } = await postgres(url, options))
    shared = true
    sqlDialect = postgresDialect
  } else if (/^(mysql|mariadb):\/\//.test(url)) {
    dialect = await mysql(url.replace(/^mariadb:/, "mysql:"), options)
    sqlDialect = mysqlDialect({ returning: false, autoIdStep: 0 })
  } else {
    throw ormErrors.INVALID_URL({ url: redact(url) })
  }
  const onQuery = options.onQuery
  const kysely = new Kysely<AnyDatabase>({
    dialect,
    log: onQuery
      ? (e) => {
          const { sql, parameters } = e.query
          onQuery({ sql, parameters, durationMs: e.queryDurationMillis })
        }
      : undefined,
  })
  if (sqlDialect.name === "mysql") {
    const server = mysqlServer(await serverRow(kysely))
    const returning = server.returning && options.returning !== false
    sqlDialect = mysqlDialect({ ...server, returning })
  }
  return new Database(kysely, sqlDialect, redact(url), { direct, one, shared, onQuery, close })
}
