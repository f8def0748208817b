import { createHash } from "node:crypto"
import { type Database, ormErrors } from "../../orm/index.js"
import { cacheErrors } from "../errors.js"
import type { CacheStore } from "../store.js"
import { CacheEntry } from "./database-model.js"

/**
 * Options of {@link databaseStore}.
 * @example
 * ```ts
 * import type { DatabaseStoreOptions } from "truss/cache"
 * import { connect } from "truss/orm"
 * const options: DatabaseStoreOptions = { db: await connect("sqlite::memory:"), pruneEvery: 600 }
 * ```
 */
export interface DatabaseStoreOptions {
  /** The app's `truss/orm` database, whose migrations created `truss_cache`. */
  db: Database
  /** Delete expired rows at most this often (seconds), during a write. `0` never does. @default 3600 */
  pruneEvery?: number
}

/**
 * A cache store on the app's database, with pruning of expired rows.
 * @example
 * ```ts
 * import { type DatabaseCacheStore, databaseStore } from "truss/cache"
 * import { connect } from "truss/orm"
 * const store: DatabaseCacheStore = databaseStore({ db: await connect("sqlite::memory:") })
 * const removed = await store.prune()
 * ```
 */
export interface DatabaseCacheStore extends CacheStore {
  /** Deletes every entry; returns how many. */
  clear(): Promise<number>
  /** Deletes expired entries (and stale locks); returns how many. */
  prune(): Promise<number>
}

const LOCK = "\u0000lock:"

function hashOf(key: string): string {
  return createHash("sha256").update(key).digest("hex")
}

/** The key as stored for reading: PostgreSQL text cannot hold NUL, which page keys use. */
function readable(key: string): string {
  return key.replaceAll("\u0000", "\u2400")
}

/**
 * Keeps entries in the `truss_cache` table of the app's database (SQLite, PostgreSQL,
 * MySQL/MariaDB), created by the normal migrations: add `cacheModels` to the models
 * of `truss.config.ts`, then `truss makemigrations && truss migrate`. Expired rows are
 * never read and are pruned during writes at most once per `pruneEvery`; `lock` is a
 * row insert that a unique key lets only one process win, so `remember` computes once
 * across processes here too.
 * @throws TRUSS_ERR_CACHE_BAD_OPTION for a negative or non-finite `pruneEvery`.
 * @example
 * ```ts
 * import { Cache, databaseStore } from "truss/cache"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite:./app.db")
 * const cache = new Cache({ store: databaseStore({ db }) })
 * await cache.set("answer", 42, 60)
 * ```
 */
export function databaseStore(options: DatabaseStoreOptions): DatabaseCacheStore {
  const { db } = options
  const every = options.pruneEvery ?? 3600
  if (!Number.isFinite(every) || every < 0) {
    throw cacheErrors.BAD_OPTION({ option: "pruneEvery", value: String(every) })
  }
  const pruneMs = every * 1000
  let pruneAt = pruneMs > 0 ? Date.now() + pruneMs : Number.POSITIVE_INFINITY
  const rows = () => db.query(CacheEntry)

  async function prune(): Promise<number> {
    return rows()
      .filter({ expires: { lte: BigInt(Date.now()) } })
      .delete()
  }

  async function put(key: string, value: string, expires: number): Promise<void> {
    await rows().upsert(
      { hash: hashOf(key), key: readable(key), value, expires: BigInt(expires) },
      { conflict: ["hash"], update: ["key", "value", "expires"] },
    )
  }

  return {
    async get(keys) {
      if (keys.length === 0) return []
      const hashes = keys.map(hashOf)
      const found = await rows()
        .filter({ hash: { in: [...new Set(hashes)] } })
        .values("hash", "value", "expires")
        .all()
      const now = Date.now()
      const live = new Map<string, string>()
      for (const r of found) if (Number(r.expires) > now) live.set(r.hash, r.value)
      return hashes.map((h) => live.get(h))
    },
    async set(entries, ttlMs) {
      const now = Date.now()
      const expires = now + Math.max(1, Math.ceil(ttlMs))
      for (const [k, v] of entries) await put(k, v, expires)
      if (now >= pruneAt) {
        pruneAt = now + pruneMs
        await prune()
      }
    },
    async delete(keys) {
      if (keys.length === 0) return
      await rows()
        .filter({ hash: { in: keys.map(hashOf) } })
        .delete()
    },
    async lock(key, ttlMs) {
      const name = LOCK + key
      const now = Date.now()
      await rows()
        .filter({ hash: hashOf(name), expires: { lte: BigInt(now) } })
        .delete()
      try {
        await rows().create({
          hash: hashOf(name),
          key: readable(name),
          value: "1",
          expires: BigInt(now + Math.max(1, Math.ceil(ttlMs))),
        })
        return true
      } catch (err) {
        // Another process holds the lock: its row's unique hash refused ours.
        if (ormErrors.INTEGRITY.is(err) && err.extensions?.kind === "unique") return false
        throw err
      }
    },
    async unlock(key) {
      await rows()
        .filter({ hash: hashOf(LOCK + key) })
        .delete()
    },
    prune,
    async clear() {
      return rows().delete()
    },
  }
}
