import { createHash } from "node:crypto"
import type { Redis } from "ioredis"
import { redisCalls } from "../../kit.js"
import type { RateLimitStore } from "./store.js"

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
  /**
   * While the client is reconnecting, hits fail at once (`rateLimit()` answers 503
   * `TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE`); any call waits at most
   * this long. A connection that hangs while "ready" is bounded too.
   * @default 1000
   */
  timeoutMs?: number
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
  const reach = redisCalls(client, options.timeoutMs ?? 1000)
  return {
    async hit(key, bucket, windowMs) {
      const args = [2, `${key}:${bucket}`, `${key}:${bucket - 1}`, 2 * windowMs] as const
      let reply: unknown
      try {
        reply = await reach(() => client.evalsha(SHA, ...args))
      } catch (err) {
        if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err
        reply = await reach(() => client.eval(SCRIPT, ...args))
      }
      const [current, previous] = reply as [number, number]
      return { current, previous }
    },
    async peek(key, bucket) {
      const [current, previous] = await reach(() =>
        client.mget(`${key}:${bucket}`, `${key}:${bucket - 1}`),
      )
      return { current: Number(current ?? 0), previous: Number(previous ?? 0) }
    },
  }
}

// One atomic step: count the hit, expire the window after two lengths, read the previous one.
const SCRIPT = `local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = redis.call('GET', KEYS[2])
return {current, tonumber(previous) or 0}`
const SHA = createHash("sha1").update(SCRIPT).digest("hex")
