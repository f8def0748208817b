import { createHash } from "node:crypto"
import type { Redis } from "ioredis"

/**
 * Hits in the current fixed window and in the one before it.
 * @example
 * ```ts
 * import type { WindowCounts } from "truss/security"
 * const counts: WindowCounts = { current: 3, previous: 10 }
 * ```
 */
export interface WindowCounts {
  current: number
  previous: number
}

/**
 * Where rate-limit counters live. One method: count a hit in fixed window `bucket`
 * (`floor(now / windowMs)`) and return that window's count and the previous one's.
 * Must be atomic when several processes share the store.
 * @example
 * ```ts
 * import type { RateLimitStore } from "truss/security"
 * const counts = new Map<string, number>()
 * const mapStore: RateLimitStore = {
 *   async hit(key, bucket) {
 *     const current = (counts.get(`${key}:${bucket}`) ?? 0) + 1
 *     counts.set(`${key}:${bucket}`, current)
 *     return { current, previous: counts.get(`${key}:${bucket - 1}`) ?? 0 }
 *   },
 * }
 * ```
 */
export interface RateLimitStore {
  hit(key: string, bucket: number, windowMs: number): Promise<WindowCounts>
}

/**
 * Counters in this process's memory: for one process, or tests. Old windows are
 * swept once a minute.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { memoryRateLimitStore, rateLimit } from "truss/security"
 * const app = new App()
 * app.use(rateLimit({ window: 60, max: 100, store: memoryRateLimitStore() }))
 * ```
 */
export function memoryRateLimitStore(): RateLimitStore {
  const rows = new Map<
    string,
    { bucket: number; current: number; previous: number; expires: number }
  >()
  let sweepAt = 0
  return {
    async hit(key, bucket, windowMs) {
      const now = Date.now()
      if (now >= sweepAt) {
        sweepAt = now + 60_000
        for (const [k, row] of rows) if (row.expires <= now) rows.delete(k)
      }
      const expires = (bucket + 2) * windowMs
      const row = rows.get(key)
      if (row === undefined || row.bucket < bucket - 1) {
        rows.set(key, { bucket, current: 1, previous: 0, expires })
        return { current: 1, previous: 0 }
      }
      if (row.bucket === bucket - 1) {
        row.previous = row.current
        row.current = 0
        row.bucket = bucket
        row.expires = expires
      }
      row.current++
      return { current: row.current, previous: row.previous }
    },
  }
}

// One atomic step: count the hit, expire the window after two lengths, read the previous one.
const SCRIPT = `local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = redis.call('GET', KEYS[2])
return {current, tonumber(previous) or 0}`
const SHA = createHash("sha1").update(SCRIPT).digest("hex")

/**
 * Options of {@link redisRateLimitStore}.
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import type { RedisRateLimitStoreOptions } from "truss/security"
 * const options: RedisRateLimitStoreOptions = { client: new Redis("redis://127.0.0.1:6379") }
 * ```
 */
export interface RedisRateLimitStoreOptions {
  /** An ioredis client; you create and close it. */
  client: Redis
}

/**
 * Counters in Redis, shared by every process and host of the app. Each hit is one
 * atomic Lua script (EVALSHA): INCR of the window's key, PEXPIRE on the first hit, and
 * a GET of the previous window for the sliding algorithm.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { Redis } from "ioredis"
 * import { rateLimit, redisRateLimitStore } from "truss/security"
 * const redis = new Redis("redis://127.0.0.1:6379")
 * const app = new App()
 * app.use(rateLimit({ window: 60, max: 100, store: redisRateLimitStore({ client: redis }) }))
 * app.onClose(() => redis.quit())
 * ```
 */
export function redisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const { client } = options
  return {
    async hit(key, bucket, windowMs) {
      const args = [2, `${key}:${bucket}`, `${key}:${bucket - 1}`, 2 * windowMs] as const
      let reply: unknown
      try {
        reply = await client.evalsha(SHA, ...args)
      } catch (err) {
        if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err
        reply = await client.eval(SCRIPT, ...args)
      }
      const [current, previous] = reply as [number, number]
      return { current, previous }
    },
  }
}
