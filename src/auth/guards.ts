/**
 * Route guards: `requireUser()`, `requireStaff()` and `requirePermission()`. A browser
 * is sent to the login page with a same-origin `next`; an API client gets 401 or 403
 * problem+json.
 * @module
 */
import { type Context, type Middleware, type Next, type Reply, wantsHtml } from "../kit.js"
import { authState } from "./context.js"
import { authErrors } from "./errors.js"
import type { AuthState } from "./login.js"
import { loginUrlOf } from "./middleware.js"

/** Browsers read `\\` as `/` and drop tabs and newlines: `/\\evil` would leave the site. */
function hasControlOrBackslash(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true
  }
  return false
}

/**
 * `next` when it stays on this site (a path such as `/tasks?page=2`, or an absolute URL
 * of the request's own origin), otherwise `fallback`: never an open redirect.
 * @example
 * ```ts
 * import { safeNext } from "truss/auth"
 * // safeNext(c, "/tasks") === "/tasks"; safeNext(c, "//evil.example") === "/"
 * ```
 */
export function safeNext(c: Context, next: string | undefined, fallback = "/"): string {
  if (typeof next !== "string" || next === "" || hasControlOrBackslash(next)) return fallback
  if (next.startsWith("/") && !next.startsWith("//")) return next
  try {
    const origin = new URL(c.req.url).origin
    const url = new URL(next)
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : fallback
  } catch {
    return fallback
  }
}

function stateFor(c: Context, guard: string): AuthState {
  const state = authState(c)
  if (state === undefined) throw authErrors.AUTH_REQUIRED({ guard })
  return state
}

/** Sends a browser to the login page (303 with `next`), an API client a 401. */
function toLogin(c: Context, state: AuthState): Reply {
  if (!wantsHtml(c)) throw authErrors.LOGIN_REQUIRED()
  const url = new URL(c.req.url)
  const login = loginUrlOf(state)
  const sep = login.includes("?") ? "&" : "?"
  return c.redirect(`${login}${sep}next=${encodeURIComponent(url.pathname + url.search)}`, 303)
}

/**
 * Lets only logged-in, active users through.
 * @throws TRUSS_ERR_AUTH_LOGIN_REQUIRED (401) for API requests.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { requireUser } from "truss/auth"
 * new App().get("/account", requireUser(), (c) => ({ email: c.user?.email }))
 * ```
 */
export function requireUser(): Middleware {
  return async function requireUser(c: Context, next: Next) {
    const state = stateFor(c, "requireUser()")
    if (state.user === undefined) return toLogin(c, state)
    await next()
  }
}

/**
 * Lets only staff through (Django's `is_staff`: may use the admin).
 * @throws TRUSS_ERR_AUTH_PERMISSION_DENIED (403) for a logged-in user who is not staff.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { requireStaff } from "truss/auth"
 * new App().get("/ops", requireStaff(), () => "ok")
 * ```
 */
export function requireStaff(): Middleware {
  return async function requireStaff(c: Context, next: Next) {
    const state = stateFor(c, "requireStaff()")
    if (state.user === undefined) return toLogin(c, state)
    if (!state.user.isStaff) throw authErrors.PERMISSION_DENIED({ need: "staff status" })
    await next()
  }
}

/**
 * Lets through users who have every one of `perms` (directly, through a group, or as
 * superusers).
 * @throws TRUSS_ERR_AUTH_PERMISSION_DENIED (403) when one is missing.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { requirePermission } from "truss/auth"
 * new App().post("/posts/:id/publish", requirePermission("blog.publish_post"), () => "ok")
 * ```
 */
export function requirePermission(...perms: string[]): Middleware {
  return async function requirePermission(c: Context, next: Next) {
    const state = stateFor(c, "requirePermission()")
    if (state.user === undefined) return toLogin(c, state)
    for (const perm of perms) {
      if (!(await c.can(perm))) throw authErrors.PERMISSION_DENIED({ need: perm })
    }
    await next()
  }
}
