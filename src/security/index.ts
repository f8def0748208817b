/**
 * `truss/security`: CSRF protection for cookie sessions, security headers with CSP
 * nonces, CORS, and rate limiting with memory or Redis stores.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cors, csrf, rateLimit, secureHeaders } from "truss/security"
 * import { sessions } from "truss/sessions"
 * const app = new App()
 * app.use(
 *   secureHeaders(),
 *   cors({ origin: "https://app.example.com" }),
 *   rateLimit({ window: 60, max: 300 }),
 *   sessions({ secret: process.env.SESSION_SECRET ?? "" }),
 *   csrf(),
 * )
 * ```
 * @module
 */
export { type CorsOptions, type CorsOrigin, cors } from "./cors.js"
export { type CsrfOptions, csrf } from "./csrf.js"
export { securityErrors } from "./errors.js"
export {
  type RateLimiter,
  type RateLimitMiddlewareOptions,
  type RateLimitOptions,
  type RateLimitResult,
  rateLimit,
  rateLimiter,
} from "./rate-limit.js"
export {
  type CspOptions,
  cspNonce,
  DEFAULT_CSP,
  NONCE,
  type SecureHeadersOptions,
  secureHeaders,
} from "./secure-headers.js"
export { memoryRateLimitStore } from "./stores/memory.js"
export { type RedisRateLimitStoreOptions, redisRateLimitStore } from "./stores/redis.js"
export type { RateLimitStore, WindowCounts } from "./stores/store.js"
