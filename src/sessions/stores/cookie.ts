import type { SessionRecord, SessionStore } from "../store.js"

/**
 * Keeps the whole session in the cookie, Flask-style: JSON, base64url-encoded and
 * HMAC-signed by `sessions()`, so the client can read it but not change it. Needs no
 * server state; a session cannot be revoked before it expires, and the cookie must
 * stay under 4 KB (`TRUSS_ERR_SESSION_COOKIE_TOO_LARGE` otherwise). The default store.
 *
 * Do not put secrets in a cookie session: the client can decode it.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cookieStore, sessions } from "truss/sessions"
 * const app = new App()
 * app.use(sessions({ secret: process.env.SESSION_SECRET ?? "", store: cookieStore() }))
 * ```
 */
export function cookieStore(): SessionStore {
  return {
    inCookie: true,
    async read(payload) {
      try {
        const record = JSON.parse(
          Buffer.from(payload, "base64url").toString("utf8"),
        ) as SessionRecord
        return typeof record === "object" && record !== null && typeof record.data === "object"
          ? record
          : undefined
      } catch {
        // Signed but unreadable: written by an incompatible version; start afresh.
        return undefined
      }
    },
    async write(_id, record) {
      return Buffer.from(JSON.stringify(record), "utf8").toString("base64url")
    },
  }
}
