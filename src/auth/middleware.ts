/**
 * `auth()`: loads the request's user from a bearer token (`tokenAuth()`), a JWT
 * (`jwtAuth()`) or the session, so `c.user`, `c.can()` and the `user` and `perms`
 * template variables work.
 * @module
 */
import { type Context, type Middleware, type Next, SLOTS, slotsOf, wantsHtml } from "../kit.js"
import type { Database } from "../orm/index.js"
import { sessionErrors } from "../sessions/index.js"
import { permissionsOf } from "./context.js"
import { authErrors } from "./errors.js"
import { type AuthState, checkedUser, type UserModelOption, userFromSession } from "./login.js"
import { User } from "./models.js"
import { takeJoinedUser } from "./session-store.js"
import type { AuthUser } from "./user-model.js"

/**
 * Options of {@link auth}.
 * @example
 * ```ts
 * import type { AuthOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const options: AuthOptions = { db: await connect("sqlite::memory:"), loginUrl: "/accounts/login" }
 * ```
 */
export interface AuthOptions extends UserModelOption {
  /** The database holding the users. */
  db: Database
  /** Where guards send anonymous browsers, with `?next=`. @default "/login" */
  loginUrl?: string
}

const loginUrls = new WeakMap<AuthState, string>()

/** The login page a guard redirects to. @internal */
export function loginUrlOf(state: AuthState): string {
  return loginUrls.get(state) ?? "/login"
}

/** The user a bearer credential names, when `tokenAuth()` or `jwtAuth()` accepted one. */
function bearerUserId(c: Context): number | undefined {
  const slots = c[SLOTS]
  const id = slots?.accessToken?.userId ?? slots?.jwtClaims?.sub
  return typeof id === "string" && /^\d+$/.test(id) ? Number(id) : undefined
}

/** Whether `sessions()` ran for this request. */
function hasSession(c: Context): boolean {
  try {
    void c.session
    return true
  } catch (err) {
    if (sessionErrors.SESSION_REQUIRED.is(err)) return false
    throw err
  }
}

async function loadUser(c: Context, state: AuthState): Promise<AuthUser | undefined> {
  const bearer = bearerUserId(c)
  if (bearer !== undefined) {
    const user = (await state.db.query(state.model).filter({ id: bearer }).first()) as
      | AuthUser
      | undefined
    return user?.isActive ? user : undefined
  }
  if (!hasSession(c)) return undefined
  // authSessionStore() read the user with the session, in the same query.
  const id = c.session.id
  const joined = id === undefined || state.model !== User ? undefined : takeJoinedUser(id)
  if (joined !== undefined) return joined === null ? undefined : checkedUser(c, joined)
  return userFromSession(c, state.db, { model: state.model })
}

/**
 * Loads the request's user: after `tokenAuth()`/`jwtAuth()` from the bearer credential,
 * otherwise from the session (put it after `sessions()`). One query per request with
 * a user; none for anonymous ones. For HTML requests of a logged-in user the
 * permissions load too, for `{% if perms["app.codename"] %}`.
 * @throws TRUSS_ERR_AUTH_USER_MODEL_REQUIRED without `db`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { auth, requireUser } from "truss/auth"
 * import { connect } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const app = new App().use(sessions({ secret: "a-32-character-secret-for-tests!!" }), auth({ db }))
 * app.get("/me", requireUser(), (c) => ({ email: c.user?.email }))
 * ```
 */
export function auth(options: AuthOptions): Middleware {
  if (!options?.db) throw authErrors.USER_MODEL_REQUIRED()
  const { db } = options
  const model = options.model ?? User
  const loginUrl = options.loginUrl ?? "/login"
  return async function auth(c: Context, next: Next) {
    const state: AuthState = { db, model, user: undefined, permissions: undefined }
    loginUrls.set(state, loginUrl)
    slotsOf(c).auth = state
    state.user = await loadUser(c, state)
    if (state.user !== undefined && wantsHtml(c)) await permissionsOf(state)
    await next()
  }
}
