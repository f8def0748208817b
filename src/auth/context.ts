/**
 * What `truss/auth` adds to the context: `c.user` and `c.can()`, and the `user`,
 * `perms` and `can` template variables. `auth()` fills them per request.
 * @module
 */
import { type Context, defineViewLocal, extendContext, SLOTS } from "../kit.js"
import type { AuthState } from "./login.js"
import { hasPerm, userPermissions } from "./permissions.js"
import type { AuthUser } from "./user-model.js"

/**
 * The request's user: the row, plus `hasPerm()` (the same check as `c.can()`, cached per
 * request). `hasPerm` is not enumerable, so the row serializes as before.
 * @example
 * ```ts
 * import type { CurrentUser } from "truss/auth"
 * const mayEdit = (u: CurrentUser) => u.hasPerm("blog.change_post")
 * ```
 */
export type CurrentUser = AuthUser & {
  hasPerm(perm: string, obj?: unknown): Promise<boolean>
}

declare module "../kit.js" {
  interface Slots {
    /** The request's auth state, set by `auth()`. */
    auth?: AuthState
  }
  interface Context {
    /**
     * The logged-in user, or undefined for an anonymous request, with
     * `user.hasPerm(perm, obj?)`. Needs `auth()`.
     */
    readonly user: CurrentUser | undefined
    /**
     * Whether the user has `perm` (`"blog.change_post"`), on `obj` when given. The
     * user's permissions load once per request. Needs `auth()`.
     */
    can(perm: string, obj?: unknown): Promise<boolean>
  }
}

/** The request's auth state. @internal */
export function authState(c: Context): AuthState | undefined {
  return c[SLOTS]?.auth
}

/** The user's permission codenames, loaded once per request. @internal */
export function permissionsOf(state: AuthState): Promise<ReadonlySet<string>> {
  const user = state.user
  // hasPerm() answers superusers and inactive users without the codenames: no query.
  if (user === undefined || user.isSuperuser || !user.isActive) return Promise.resolve(new Set())
  state.permissions ??= userPermissions(state.db, user).then((set) => {
    state.loaded = set
    return set
  })
  return state.permissions
}

extendContext("truss/auth", "user", {
  get(this: Context) {
    const state = authState(this)
    const user = state?.user
    if (user === undefined || state === undefined) return undefined
    if (!Object.hasOwn(user, "hasPerm")) {
      Object.defineProperty(user, "hasPerm", {
        value: async (perm: string, obj?: unknown) =>
          state.user === user && hasPerm(user, await permissionsOf(state), perm, obj),
      })
    }
    return user as CurrentUser
  },
})

extendContext("truss/auth", "can", {
  async value(this: Context, perm: string, obj?: unknown): Promise<boolean> {
    const state = authState(this)
    if (state?.user === undefined) return false
    return hasPerm(state.user, await permissionsOf(state), perm, obj)
  },
})

defineViewLocal("user", (c) => authState(c)?.user)

/**
 * `{% if perms["blog.change_post"] %}`: the user's codenames as an object of `true`s
 * (a superuser's are every permission). `auth()` loads them before the handler runs
 * for HTML requests of a logged-in user.
 */
/** What `perms["app.codename"]` reads for a superuser: true for every codename. */
const EVERY = new Proxy(
  {},
  {
    get: (_, key) => typeof key === "string",
    set: () => false,
    defineProperty: () => false,
    has: (_, key) => typeof key === "string",
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === "string" ? { value: true, enumerable: true, configurable: true } : undefined,
  },
)

const granted = (c: Context) => {
  const state = authState(c)
  const user = state?.user
  if (user?.isSuperuser && user.isActive) return EVERY
  return Object.fromEntries([...(state?.loaded ?? [])].map((p) => [p, true]))
}
defineViewLocal("perms", granted)
/** `{% if can["blog.change_post"] %}`: the same as `perms`, named like `c.can()`. */
defineViewLocal("can", granted)
