/**
 * What `truss/sessions` adds to the context: `c.session`, `c.flash()` and the
 * `flashes` view local, declared here and installed when the battery is imported.
 * @module
 */
import { type Context, defineViewLocal, extendContext, SLOTS, slotsOf } from "../kit.js"
import { sessionErrors } from "./errors.js"
import type { FlashMessage, Session } from "./types.js"

declare module "../kit.js" {
  interface Slots {
    /** This request's session, set by `sessions()`. */
    session?: Session
    /** The flashes a view has read this request (reading consumes them). */
    viewedFlashes?: FlashMessage[]
  }
  interface Context {
    /** The session. Needs `app.use(sessions({ secret }))` from `truss/sessions`. */
    readonly session: Session
    /** Queues a flash message for the next page; needs sessions. */
    flash(category: string, message: string): void
  }
}

/** The session of `c`, or undefined when `sessions()` did not run for it. @internal */
export function sessionOf(c: Context): Session | undefined {
  return c[SLOTS]?.session
}

/** Makes `session` the session of `c`. @internal */
export function setSession(c: Context, session: Session): void {
  slotsOf(c).session = session
}

function requireSession(c: Context): Session {
  const session = c[SLOTS]?.session
  if (session === undefined) throw sessionErrors.SESSION_REQUIRED()
  return session
}

extendContext("truss/sessions", "session", {
  get(this: Context) {
    return requireSession(this)
  },
})
extendContext("truss/sessions", "flash", {
  value(this: Context, category: string, message: string) {
    requireSession(this).flash(category, message)
  },
})

// Read once per request: reading consumes them, and a page may show them twice.
defineViewLocal("flashes", (c) => {
  const slots = c[SLOTS]
  if (slots?.session === undefined) return []
  slots.viewedFlashes ??= slots.session.flashes()
  return slots.viewedFlashes
})
