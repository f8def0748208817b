import type { Context, Middleware, Next } from "../../kit.js"
import "../../sessions/index.js"
import { mfaErrors } from "./errors.js"

/**
 * The session key holding the time (ms) of the last full authentication.
 * @example
 * ```ts
 * import { AUTH_AT_KEY } from "truss/auth"
 * AUTH_AT_KEY // "_auth_at"
 * ```
 */
export const AUTH_AT_KEY = "_auth_at"

/** The loose view of a session this needs (its key is not in `SessionData`). */
interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/**
 * Records that the user just proved who they are (password, second factor or passkey),
 * which opens the step-up window. `login()` and a re-authentication page call it.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { markAuthenticated } from "truss/auth"
 * new App().post("/reauth", (c) => {
 *   markAuthenticated(c)
 *   return { ok: true }
 * })
 * ```
 */
export function markAuthenticated(c: Context, now = Date.now()): void {
  ;(c.session as unknown as RawSession).set(AUTH_AT_KEY, now)
}

/**
 * Guards sensitive actions (password change, MFA changes, token creation): the session
 * must have authenticated within `maxAge` seconds.
 * @param maxAge - Seconds since the last authentication. @default 600
 * @throws 401 TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED (with `reauthenticate: true`).
 * @example
 * ```ts
 * import { App } from "truss"
 * import { requireRecentLogin } from "truss/auth"
 * const app = new App()
 * app.use(requireRecentLogin(300))
 * ```
 */
export function requireRecentLogin(maxAge = 600): Middleware {
  return async function requireRecentLogin(c: Context, next: Next) {
    assertRecentLogin(c, maxAge)
    await next()
  }
}

/**
 * The check of {@link requireRecentLogin} inside a handler: throws unless the session
 * authenticated within `maxAge` seconds.
 * @throws 401 TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { assertRecentLogin } from "truss/auth"
 * new App().post("/settings/mfa/disable", (c) => {
 *   assertRecentLogin(c, 300)
 *   return { ok: true }
 * })
 * ```
 */
export function assertRecentLogin(c: Context, maxAge = 600, now = Date.now()): void {
  const at = (c.session as unknown as RawSession).get(AUTH_AT_KEY)
  if (typeof at !== "number" || now - at > maxAge * 1000) {
    throw mfaErrors.MFA_STEP_UP_REQUIRED({ maxAge })
  }
}
