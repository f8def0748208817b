import type { Redis } from "ioredis"
import { redisUnreachable } from "../../kit.js"
import type { CacheStore } from "../store.js"

/**
 * Options of {@link redisStore}.
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import type { RedisStoreOptions } from "truss/cache"
 * const options: RedisStoreOptions = { client: new Redis(), prefix: "myapp:cache:" }
 * ```
 */
export interface RedisStoreOptions {
  /** An ioredis client; you create it and close it (e.g. in `app.onClose`). */
  client: Redis
  /** Key prefix. @default "truss:cache:" */
  prefix?: string
}

/**
 * Keeps entries in Redis under `prefix + key` with a PX expiry, shared by every
 * process; `lock` is SET NX PX so `remember` computes once across processes, and
 * `clear()` deletes every key under the prefix (SCAN, never KEYS).
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import { Cache, redisStore } from "truss/cache"
 * const redis = new Redis("redis://127.0.0.1:6379")
 * const cache = new Cache({ store: redisStore({ client: redis }) })
 * await cache.set("answer", 42, 60)
 * ```
 */
export function redisStore(options: RedisStoreOptions): CacheStore & { clear(): Promise<number> } {
  const { client } = options
  const prefix = options.prefix ?? "truss:cache:"
  // While ioredis reconnects it would queue each command (the Cache's timeout then
  // makes every cached page wait timeoutMs): fail at once so each call is a quick miss.
  const reachable = (): void => {
    const down = redisUnreachable(client)
    if (down !== undefined) throw down
  }
  return {
    async get(keys) {
      if (keys.length === 0) return []
      reachable()
      // One key (a cachePage hit): GET, a plain bulk reply, instead of an MGET array.
      if (keys.length === 1) return [(await client.get(prefix + keys[0])) ?? undefined]
      const values = await client.mget(keys.map((k) => prefix + k))
      return values.map((v) => v ?? undefined)
    },
    async set(entries, ttlMs) {
      if (entries.length === 0) return
      reachable()
      const px = Math.max(1, Math.ceil(ttlMs))
      const multi = client.multi()
      for (const [k, v] of entries) multi.set(prefix + k, v, "PX", px)
      const results = await multi.exec()
      const failed = results?.find(([err]) => err !== null)
      if (failed?.[0]) throw failed[0]
    },
    async delete(keys) {
      reachable()
      if (keys.length > 0) await client.del(...keys.map((k) => prefix + k))
    },
    async lock(key, ttlMs) {
      reachable()
      const ok = await client.set(
        `${prefix}lock:${key}`,
        "1",
        "PX",
        Math.max(1, Math.ceil(ttlMs)),
        "NX",
      )
      return ok === "OK"
    },
    async unlock(key) {
      reachable()
      await client.del(`${prefix}lock:${key}`)
    },
    async clear() {
      // SCAN, not KEYS: it never blocks the server on a large keyspace.
      const match = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`
      let cursor = "0"
      let removed = 0
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", match, "COUNT", 500)
        cursor = next
        if (keys.length > 0) removed += await client.del(...keys)
      } while (cursor !== "0")
      return removed
    },
  }
}
