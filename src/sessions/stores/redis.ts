import type { Redis } from "ioredis"
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
  return {
    async read(id) {
      const json = await client.get(prefix + id)
      return json === null ? undefined : (JSON.parse(json) as SessionRecord)
    },
    async write(id, record, ttlMs) {
      await client.set(prefix + id, JSON.stringify(record), "PX", Math.max(1, Math.ceil(ttlMs)))
    },
    async destroy(id) {
      await client.del(prefix + id)
    },
  }
}
