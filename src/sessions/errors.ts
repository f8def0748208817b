import { defineError } from "../kit.js"

/**
 * The error codes of `truss/sessions`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { sessionErrors, sessions } from "truss/sessions"
 * try {
 *   sessions({ secret: "short" })
 * } catch (err) {
 *   sessionErrors.SECRET_WEAK.is(err) // true
 * }
 * ```
 */
export const sessionErrors = {
  SECRET_MISSING: defineError(
    "TRUSS_ERR_SESSION_SECRET_MISSING",
    "sessions() needs a secret to sign its cookie: pass sessions({ secret }) with at least 32 random characters (e.g. from process.env.SESSION_SECRET), or secrets: [newest, ...older] to rotate.",
    500,
  ),
  SECRET_WEAK: defineError(
    "TRUSS_ERR_SESSION_SECRET_WEAK",
    (p: { length: number }) =>
      `A session secret is ${p.length} characters long; use at least 32 random characters, e.g. node -e "console.log(crypto.randomBytes(32).toString('base64url'))".`,
    500,
  ),
  COOKIE_TOO_LARGE: defineError(
    "TRUSS_ERR_SESSION_COOKIE_TOO_LARGE",
    (p: { size: number; limit: number }) =>
      `The signed session cookie would be ${p.size} bytes, over the ${p.limit}-byte limit browsers keep. Store less in the session, or use a server-side store (redisStore, databaseStore).`,
    500,
  ),
  STORE_UNAVAILABLE: defineError(
    "TRUSS_ERR_SESSION_STORE_UNAVAILABLE",
    "The session store cannot be reached right now (e.g. Redis is down). Retry shortly; check the store's server.",
    503,
  ),
  SESSION_REQUIRED: defineError(
    "TRUSS_ERR_SESSION_REQUIRED",
    "c.session needs the sessions middleware: add app.use(sessions({ secret })) from truss/sessions before the routes that use it.",
    500,
  ),
} as const
