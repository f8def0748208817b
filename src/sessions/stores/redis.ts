import type { Redis } from "ioredis"
import { redisCalls } from "../../kit.js"
import type { SessionRecord, SessionStore } from "../store.js"

/**
 * Options of {@link redisStore}.
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import type { RedisStoreOptions } from "truss/sessions"
 * const options: RedisStoreOptions = { client: new Redis(), prefix: "myapp:session:" }
 * ```
 */
export interface RedisStoreOptions {
  /** An ioredis client; you create it and close it (e.g. in `app.onClose`). */
  client: Redis
  /** Key prefix. @default "truss:session:" */
  prefix?: string
  /**
   * While the client is reconnecting, calls fail at once (a 503
   * `TRUSS_ERR_SESSION_STORE_UNAVAILABLE`); any call waits at most
   * this long. A connection that hangs while "ready" is bounded too.
   * @default 1000
   */
  timeoutMs?: number
}

/**
 * Keeps sessions in Redis as JSON under `prefix + id`, with a TTL so Redis drops
 * expired ones itself. Shared by every process of the app.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { Redis } from "ioredis"
 * import { redisStore, sessions } from "truss/sessions"
 * const redis = new Redis("redis://127.0.0.1:6379")
 * const app = new App()
 * app.use(sessions({ secret: process.env.SESSION_SECRET ?? "", store: redisStore({ client: redis }) }))
 * app.onClose(() => redis.quit())
 * ```
 */
export function redisStore(options: RedisStoreOptions): SessionStore {
  const { client } = options
  const prefix = options.prefix ?? "truss:session:"
  const reach = redisCalls(client, options.timeoutMs ?? 1000)
  return {
    async read(id) {
      const json = await reach(() => client.get(prefix + id))
      return json === null ? undefined : (JSON.parse(json) as SessionRecord)
    },
    async write(id, record, ttlMs) {
      const ttl = Math.max(1, Math.ceil(ttlMs))
      await reach(() => client.set(prefix + id, JSON.stringify(record), "PX", ttl))
    },
    async destroy(id) {
      await reach(() => client.del(prefix + id))
    },
  }
}
