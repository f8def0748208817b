import { errors } from "../../kit.js"
import type { Database } from "../../orm/index.js"
import type { SessionRecord, SessionStore } from "../store.js"

/**
 * Options of {@link databaseStore}.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import type { DatabaseStoreOptions } from "truss/sessions"
 * const options: DatabaseStoreOptions = { db: await connect("sqlite::memory:"), table: "web_sessions" }
 * ```
 */
export interface DatabaseStoreOptions {
  /** A `truss/orm` database handle from `connect(url)`. */
  db: Database
  /** The table. @default "truss_sessions" */
  table?: string
  /** Delete expired rows at most this often (seconds), during a write. `0` never does. @default 3600 */
  pruneEvery?: number
}

/**
 * A session store on a SQL table, with the table's setup and cleanup.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { databaseStore } from "truss/sessions"
 * const store = databaseStore({ db: await connect("sqlite::memory:") })
 * await store.ensureTable()
 * const removed = await store.prune()
 * ```
 */
export interface DatabaseSessionStore extends SessionStore {
  /** Creates the table and its expiry index when they are missing (idempotent). */
  ensureTable(): Promise<void>
  /** Deletes expired sessions; returns how many. */
  prune(): Promise<number>
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/**
 * Keeps sessions in a SQL table (`id`, `data` as JSON text, `expires` in ms) on
 * SQLite, PostgreSQL or MySQL/MariaDB through `truss/orm`. Call `ensureTable()` once
 * at startup (or create the same table in a migration). Expired rows are never read
 * and are pruned during writes at most once per `pruneEvery`.
 * @throws TRUSS_ERR_INVALID_OPTION for a table name that is not a plain identifier.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { connect } from "truss/orm"
 * import { databaseStore, sessions } from "truss/sessions"
 * const db = await connect("sqlite:./app.db")
 * const store = databaseStore({ db })
 * await store.ensureTable()
 * const app = new App()
 * app.use(sessions({ secret: process.env.SESSION_SECRET ?? "", store }))
 * app.onClose(() => db.close())
 * ```
 */
export function databaseStore(options: DatabaseStoreOptions): DatabaseSessionStore {
  const { db } = options
  const table = options.table ?? "truss_sessions"
  if (!NAME.test(table)) {
    throw errors.INVALID_OPTION({
      option: "databaseStore table",
      reason: `"${table}" is not a plain SQL identifier (letters, digits, _)`,
    })
  }
  const pruneMs = (options.pruneEvery ?? 3600) * 1000
  let pruneAt = pruneMs > 0 ? Date.now() + pruneMs : Number.POSITIVE_INFINITY
  const k = db.kysely

  async function prune(): Promise<number> {
    const result = await k.deleteFrom(table).where("expires", "<=", Date.now()).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  return {
    async ensureTable() {
      await k.schema
        .createTable(table)
        .ifNotExists()
        .addColumn("id", "varchar(64)", (c) => c.primaryKey())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("expires", "bigint", (c) => c.notNull())
        .execute()
      const index = k.schema.createIndex(`${table}_expires`).on(table).column("expires")
      if (db.dialect.name !== "mysql") return void (await index.ifNotExists().execute())
      // MySQL has no CREATE INDEX IF NOT EXISTS: a duplicate key name (1061) means it exists.
      await index.execute().catch((err: { errno?: number }) => {
        if (err.errno !== 1061) throw err
      })
    },
    prune,
    async read(id) {
      const row = await k
        .selectFrom(table)
        .select(["data", "expires"])
        .where("id", "=", id)
        .executeTakeFirst()
      if (row === undefined || Number(row.expires) <= Date.now()) return undefined
      return JSON.parse(String(row.data)) as SessionRecord
    },
    async write(id, record, ttlMs) {
      const now = Date.now()
      const values = { id, data: JSON.stringify(record), expires: now + Math.ceil(ttlMs) }
      const update = { data: values.data, expires: values.expires }
      const insert = k.insertInto(table).values(values)
      await (db.dialect.name === "mysql"
        ? insert.onDuplicateKeyUpdate(update)
        : insert.onConflict((oc) => oc.column("id").doUpdateSet(update))
      ).execute()
      if (now >= pruneAt) {
        pruneAt = now + pruneMs
        await prune()
      }
    },
    async destroy(id) {
      await k.deleteFrom(table).where("id", "=", id).execute()
    },
  }
}
