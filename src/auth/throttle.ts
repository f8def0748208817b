/**
 * Throttling and lockout of failed logins, per account and per client IP, on the
 * rate-limit stores (memory on one process, Redis across processes). A locked answer is
 * the same whether or not the account exists.
 * @module
 */
import type { Context } from "../kit.js"
import { type RateLimitStore, rateLimiter } from "../security/index.js"
import { authErrors } from "./errors.js"
import { normalizeEmail } from "./models.js"

/**
 * Options of {@link loginThrottle}.
 * @example
 * ```ts
 * import type { LoginThrottleOptions } from "truss/auth"
 * const options: LoginThrottleOptions = { perAccount: 5, perIp: 20, window: 900 }
 * ```
 */
export interface LoginThrottleOptions {
  /** Where failures are counted. @default memoryRateLimitStore() */
  store?: RateLimitStore
  /** Failures per account before it is locked for `window`. @default 5 */
  perAccount?: number
  /** Failures per client IP before it is locked for `window`. @default 20 */
  perIp?: number
  /** The window in seconds. @default 900 */
  window?: number
}

/**
 * Counts failed logins and refuses attempts during a lockout.
 * @example
 * ```ts
 * import { type LoginThrottle, loginThrottle } from "truss/auth"
 * const throttle: LoginThrottle = loginThrottle()
 * ```
 */
export interface LoginThrottle {
  /**
   * Throws `TRUSS_ERR_AUTH_LOCKED_OUT` (429, `Retry-After`) when this account or IP is
   * locked; call before checking the password.
   */
  check(c: Context, email: string): Promise<void>
  /** Records one failed attempt for the account and the IP. */
  fail(c: Context, email: string): Promise<void>
}

/**
 * Builds a login throttle: `check()` before verifying a password, `fail()` after a
 * wrong one.
 * @example
 * ```ts
 * import { authenticate, login, loginThrottle } from "truss/auth"
 * const throttle = loginThrottle({ perAccount: 5, perIp: 20, window: 900 })
 * // await throttle.check(c, email)
 * // const user = await authenticate(db, email, password)
 * // if (!user) await throttle.fail(c, email)
 * ```
 */
export function loginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const window = options.window ?? 900
  const common = { window, ...(options.store ? { store: options.store } : {}) }
  const accounts = rateLimiter({
    ...common,
    max: options.perAccount ?? 5,
    prefix: "truss:login:a:",
  })
  const ips = rateLimiter({ ...common, max: options.perIp ?? 20, prefix: "truss:login:ip:" })
  const ip = (c: Context) => c.req.ip ?? "unknown"
  return {
    async check(c, email) {
      const [a, i] = await Promise.all([accounts.peek(normalizeEmail(email)), ips.peek(ip(c))])
      const retryAfter = Math.max(a.limited ? a.retryAfter : 0, i.limited ? i.retryAfter : 0)
      if (retryAfter > 0) {
        throw authErrors.LOCKED_OUT(
          { retryAfter },
          { headers: { "retry-after": String(retryAfter) } },
        )
      }
    },
    async fail(c, email) {
      await Promise.all([accounts.hit(normalizeEmail(email)), ips.hit(ip(c))])
    },
  }
}
