import type { Context, Middleware } from "../kit.js"
import { errors } from "../kit.js"
import { securityErrors } from "./errors.js"
import { memoryRateLimitStore } from "./stores/memory.js"
import type { RateLimitStore, WindowCounts } from "./stores/store.js"

/**
 * Options of {@link rateLimiter} and {@link rateLimit}.
 * @example
 * ```ts
 * import type { RateLimitOptions } from "truss/security"
 * const options: RateLimitOptions = { window: 60, max: 100, algorithm: "sliding" }
 * ```
 */
export interface RateLimitOptions {
  /** Window length in seconds. */
  window: number
  /** Requests allowed per window. */
  max: number
  /**
   * `"fixed"` counts per clock-aligned window. `"sliding"` weighs the previous window
   * by how much of it still overlaps the last `window` seconds (the two-bucket
   * approximation: O(1) per key, no burst at window edges). @default "fixed"
   */
  algorithm?: "fixed" | "sliding"
  /** Where counts live; share a Redis store between processes. @default memoryRateLimitStore() */
  store?: RateLimitStore
  /** Keeps this limiter's counts apart from others in the same store. @default "truss:rl:<window>:<max>:" */
  prefix?: string
}

/**
 * Options of {@link rateLimit}: the limiter's, plus how to key a request.
 * @example
 * ```ts
 * import type { RateLimitMiddlewareOptions } from "truss/security"
 * const options: RateLimitMiddlewareOptions = {
 *   window: 60,
 *   max: 30,
 *   key: (c) => c.req.header("x-api-key") ?? c.req.ip ?? "unknown",
 * }
 * ```
 */
export interface RateLimitMiddlewareOptions extends RateLimitOptions {
  /** Who is counted. @default the client IP (`c.req.ip`, honouring `trustProxy`) */
  key?: (c: Context) => string | Promise<string>
  /** Send `RateLimit-Limit/Remaining/Reset` on every response. @default true */
  headers?: boolean
}

/**
 * The outcome of one hit.
 * @example
 * ```ts
 * import { rateLimiter, type RateLimitResult } from "truss/security"
 * const result: RateLimitResult = await rateLimiter({ window: 60, max: 5 }).hit("ada")
 * if (result.limited) console.log(`retry in ${result.retryAfter} s`)
 * ```
 */
export interface RateLimitResult {
  /** True when this hit is over the limit. */
  limited: boolean
  limit: number
  /** Hits left in the window. */
  remaining: number
  /** Seconds until the window resets. */
  reset: number
  /** Seconds to wait before a retry can succeed (0 when not limited). */
  retryAfter: number
}

/**
 * A limiter, for throttling outside middleware (e.g. login attempts per user name).
 * @example
 * ```ts
 * import { type RateLimiter, rateLimiter } from "truss/security"
 * const perUser: RateLimiter = rateLimiter({ window: 900, max: 5, prefix: "login:" })
 * await perUser.hit("ada@example.com")
 * ```
 */
export interface RateLimiter {
  /** Counts one hit for `key`. */
  hit(key: string): Promise<RateLimitResult>
  /**
   * Tells, without counting, whether one more hit for `key` would be over the limit
   * (`limited`), e.g. to refuse a login during a lockout before checking the password.
   */
  peek(key: string): Promise<RateLimitResult>
}

/**
 * Builds a limiter without the middleware around it: count hits by any key.
 * @throws TRUSS_ERR_INVALID_OPTION for a window or max that is not positive.
 * @example
 * ```ts
 * import { rateLimiter } from "truss/security"
 * const logins = rateLimiter({ window: 900, max: 5, prefix: "login:" })
 * const { limited, retryAfter } = await logins.hit("ada@example.com")
 * ```
 */
export function rateLimiter(options: RateLimitOptions): RateLimiter {
  const { window, max } = options
  if (!(window > 0))
    throw errors.INVALID_OPTION({
      option: "rateLimit window",
      reason: `expected seconds > 0, got ${window}`,
    })
  if (!(max >= 1) || !Number.isInteger(max)) {
    throw errors.INVALID_OPTION({
      option: "rateLimit max",
      reason: `expected an integer ≥ 1, got ${max}`,
    })
  }
  const store = options.store ?? memoryRateLimitStore()
  const sliding = options.algorithm === "sliding"
  const prefix = options.prefix ?? `truss:rl:${window}:${max}:`
  const ms = window * 1000
  /** The outcome for `counts`; `extra` is 1 when peeking (would one more hit pass?). */
  const result = (counts: WindowCounts, now: number, bucket: number, extra: number) => {
    const { current, previous } = counts
    const left = (bucket + 1) * ms - now
    const count = (sliding ? current + (previous * left) / ms : current) + extra
    const limited = count > max
    let wait = 0
    if (limited) {
      // Sliding: the previous window's weight fades; find when the count drops to max.
      wait =
        sliding && current < max && previous > 0 ? left - ((max - current) * ms) / previous : left
    }
    return {
      limited,
      limit: max,
      remaining: Math.max(0, Math.floor(max - count + extra)),
      reset: Math.ceil(left / 1000),
      retryAfter: limited ? Math.max(1, Math.ceil(wait / 1000)) : 0,
    }
  }
  return {
    async hit(key) {
      const now = Date.now()
      const bucket = Math.floor(now / ms)
      return result(await store.hit(prefix + key, bucket, ms), now, bucket, 0)
    },
    async peek(key) {
      if (store.peek === undefined) {
        throw errors.INVALID_OPTION({
          option: "rateLimiter store",
          reason: "this store has no peek(); use memoryRateLimitStore() or redisRateLimitStore()",
        })
      }
      const now = Date.now()
      const bucket = Math.floor(now / ms)
      return result(await store.peek(prefix + key, bucket), now, bucket, 1)
    },
  }
}

/**
 * Limits requests per client: over `max` in `window` seconds answers 429 problem+json
 * (`TRUSS_ERR_RATE_LIMITED`) with `Retry-After`. Responses carry `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds). Use it app-wide, on a
 * blueprint, or as route middleware for a stricter limit on one route.
 * @param options - `window`, `max`, `key`, `store`, `algorithm`, `prefix`, `headers`.
 * @throws TRUSS_ERR_INVALID_OPTION at setup; 429 TRUSS_ERR_RATE_LIMITED per request.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { rateLimit } from "truss/security"
 * const app = new App()
 * app.use(rateLimit({ window: 60, max: 300 }))
 * app.post("/login", rateLimit({ window: 900, max: 10, algorithm: "sliding" }), () => "ok")
 * ```
 */
export function rateLimit(options: RateLimitMiddlewareOptions): Middleware {
  const limiter = rateLimiter(options)
  const keyOf = options.key ?? ((c: Context) => c.req.ip ?? "unknown")
  const headers = options.headers ?? true
  return async function rateLimit(c, next) {
    const key = await keyOf(c)
    // A store that is down fails closed: a coded 503, never an unchecked request.
    const r = await limiter.hit(key).catch((cause: unknown) => {
      throw securityErrors.RATE_LIMIT_STORE_UNAVAILABLE(undefined, {
        cause,
        expose: true,
        headers: { "retry-after": "1" },
      })
    })
    if (headers) {
      c.header("ratelimit-limit", String(r.limit))
      c.header("ratelimit-remaining", String(r.remaining))
      c.header("ratelimit-reset", String(r.reset))
    }
    if (r.limited) {
      const retryAfter = String(r.retryAfter)
      throw securityErrors.RATE_LIMITED(
        { retryAfter: r.retryAfter },
        { headers: { "retry-after": retryAfter } },
      )
    }
    await next()
  }
}
