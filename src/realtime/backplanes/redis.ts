import type { Redis } from "ioredis"
import { realtimeErrors } from "../errors.js"
import { type Backplane, type BackplaneListener, Topics } from "./backplane.js"

/**
 * Options for {@link redisBackplane}.
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import type { RedisBackplaneOptions } from "truss/realtime"
 * const options: RedisBackplaneOptions = { client: new Redis("redis://127.0.0.1:6379"), prefix: "chat:" }
 * ```
 */
export interface RedisBackplaneOptions {
  /** The client publishes; a duplicate of it subscribes. You keep owning `client`. */
  client: Redis
  /** Prefix of every Redis channel, so several apps can share one Redis. @default "truss:rt:" */
  prefix?: string
}

/**
 * Redis pub/sub as the backplane, on `ioredis`. After a Redis restart the subscriber
 * reconnects and resubscribes by itself (ioredis `autoResubscribe`), then
 * {@link Backplane.onReconnect} listeners run. While Redis is down, `publish` rejects with
 * `TRUSS_ERR_REALTIME_BACKPLANE_UNAVAILABLE` instead of queueing, so a burst of stale
 * broadcasts never arrives after the outage.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { Redis } from "ioredis"
 * import { realtime, redisBackplane } from "truss/realtime"
 * const rt = realtime(new App(), { backplane: redisBackplane({ client: new Redis() }) })
 * ```
 */
export function redisBackplane(options: RedisBackplaneOptions): Backplane {
  const { client } = options
  const prefix = options.prefix ?? "truss:rt:"
  const sub = client.duplicate({ enableOfflineQueue: true, autoResubscribe: true })
  const topics = new Topics()
  const reconnects: (() => void)[] = []
  let closed = false
  let lostConnection = false
  let everReady = client.status === "ready"
  client.once("ready", () => {
    everReady = true
  })
  sub.on("message", (channel: string, payload: string) => {
    topics.emit(channel.slice(prefix.length), payload, (err) => sub.emit("error", err))
  })
  // ioredis logs an unhandled 'error' itself; the reconnect loop is what matters here.
  sub.on("error", () => {})
  sub.on("close", () => {
    if (!closed) lostConnection = true
  })
  sub.on("ready", () => {
    if (!lostConnection) return
    lostConnection = false
    // ready fires once the resubscription has been sent; wait for its reply first.
    sub.ping().then(
      () => {
        for (const fn of reconnects) fn()
      },
      () => {},
    )
  })
  return {
    async publish(topic, payload) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      // Before the first connection a publish waits for it; after an outage it fails fast.
      if (client.status !== "ready" && everReady)
        throw realtimeErrors.BACKPLANE_UNAVAILABLE({ backplane: "Redis" })
      try {
        await client.publish(prefix + topic, payload)
      } catch (err) {
        throw realtimeErrors.BACKPLANE_UNAVAILABLE({ backplane: "Redis" }, { cause: err })
      }
    },
    async subscribe(topic: string, listener: BackplaneListener) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      if (topics.add(topic, listener)) await sub.subscribe(prefix + topic)
      return async () => {
        if (topics.remove(topic, listener) && !closed) await sub.unsubscribe(prefix + topic)
      }
    },
    onReconnect(listener) {
      reconnects.push(listener)
    },
    async close() {
      if (closed) return
      closed = true
      topics.clear()
      sub.disconnect()
    },
  }
}
