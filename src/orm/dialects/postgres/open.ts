/**
 * Opens `postgres://` URLs: a `pg` pool for Kysely and a direct runner that skips
 * Kysely's executor outside transactions, optionally with named prepared statements
 * and pipelined connections.
 * @module
 */
import { PostgresDialect } from "kysely"
import { toIntegrityError } from "../../integrity.js"
import { type DirectOne, type DirectRunner, loadDriver, type OpenDriver } from "../driver.js"
import { postgresDialect } from "./dialect.js"
import { type PgClientClass, PgPipeline } from "./pipeline.js"

interface PgResult {
  rows: Record<string, unknown>[]
  rowCount: number | null
  command: string
}
interface PgPool {
  readonly totalCount: number
  readonly idleCount: number
  readonly waitingCount: number
  connect(): Promise<unknown>
  end(): Promise<void>
  on(event: "error", listener: (err: Error) => void): unknown
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
const PG_DATE = 1082

const COUNTED = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"])

/** `postgres://` and `postgresql://` URLs on a `pg` pool, with optional pipelines. */
export const openPostgres: OpenDriver = async (url, options) => {
  const pg = (await loadDriver<PgModule>("pg")).default
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === PG_DATE ? (v: string) => v : pg.types.getTypeParser(oid, format),
  }
  // A connect (or a query queued for a free connection) gives up after 5 s with a coded
  // 503 instead of waiting for ever on a server that does not answer.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    types,
  })
  // An idle pooled connection that the server (or the network) drops makes pg-pool emit
  // "error"; with no listener that crashes the process. pg-pool has already removed the
  // client, and the next query opens a new connection (or fails with its own error).
  pool.on("error", () => {})
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
  // Kysely ends only a pool it initialised (on its first query), and pg throws on a
  // second end(): close ends the pool exactly once, and Kysely's destroy gets that same
  // promise back, so direct-only use leaves no socket open after close.
  let ended: Promise<void> | undefined
  const end = (): Promise<void> => {
    ended ??= pool.end()
    return ended
  }
  const forKysely = { connect: () => pool.connect(), end }
  const close = async (): Promise<void> => {
    await pipes?.close()
    await end()
  }
  return {
    dialect: new PostgresDialect({ pool: forKysely as never }),
    direct,
    one,
    shared: true,
    close,
    poolStats: () => ({
      totalCount: pool.totalCount,
      idleCount: pool.idleCount,
      waitingCount: pool.waitingCount,
    }),
    sqlDialect: () => postgresDialect,
  }
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
