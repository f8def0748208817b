/**
 * `truss/sessions`: signed-cookie sessions with pluggable stores (the signed cookie
 * itself, memory, Redis, a database table), secret rotation, idle and absolute
 * timeouts, and flash messages. Adds `c.session` and `c.flash()`.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { sessions } from "truss/sessions"
 * const app = new App()
 * app.use(sessions({ secret: process.env.SESSION_SECRET ?? "" }))
 * app.post("/save", (c) => {
 *   c.flash("success", "Saved")
 *   return c.redirect("/", 303)
 * })
 * app.get("/", (c) => ({ messages: c.session.flashes() }))
 * ```
 * @module
 */
import "./context.js"

export { sessionErrors } from "./errors.js"
export {
  type SessionCookieOptions,
  type SessionOptions,
  sessions,
} from "./sessions.js"
export type { SessionRecord, SessionStore } from "./store.js"
export { cookieStore } from "./stores/cookie.js"
export {
  type DatabaseSessionStore,
  type DatabaseStoreOptions,
  databaseStore,
} from "./stores/database.js"
export { type MemoryStoreOptions, memoryStore } from "./stores/memory.js"
export { type RedisStoreOptions, redisStore } from "./stores/redis.js"
export type { FlashMessage, Session, SessionData } from "./types.js"
