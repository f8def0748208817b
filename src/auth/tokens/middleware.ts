import {
  type Context,
  extendContext,
  type Middleware,
  type Next,
  SLOTS,
  slotsOf,
} from "../../kit.js"
import type { Executor } from "../../orm/index.js"
import { tokenErrors } from "./errors.js"
import { type AccessTokenRow, authenticateAccessToken } from "./tokens.js"

declare module "../../kit.js" {
  interface Slots {
    /** The personal access token this request authenticated with, set by `tokenAuth()`. */
    accessToken?: AccessTokenRow
  }
  interface Context {
    /** The personal access token of this request, or undefined; needs `tokenAuth()`. */
    readonly accessToken: AccessTokenRow | undefined
  }
}

extendContext("truss/auth/tokens", "accessToken", {
  get(this: Context) {
    return this[SLOTS]?.accessToken
  },
})

const BEARER = /^bearer\s+(trs_\S+)$/i

/**
 * Authenticates `Authorization: Bearer trs_…` personal access tokens: the row is put at
 * `c.accessToken` (its `userId` names the user). A bad token is a 401 problem+json.
 * Such requests carry no cookie, so `csrf()` exempts them; cookie requests still need
 * the CSRF token.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { connect } from "truss/orm"
 * import { tokenAuth } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * const app = new App()
 * app.use(tokenAuth(db))
 * app.get("/api/me", (c) => ({ user: c.accessToken?.userId ?? null }))
 * ```
 */
export function tokenAuth(db: Executor): Middleware {
  return async function tokenAuth(c: Context, next: Next) {
    const header = c.req.header("authorization")
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1]
    if (token !== undefined) {
      const row = await authenticateAccessToken(db, token)
      slotsOf(c).accessToken = row
    }
    await next()
  }
}

/**
 * Requires that this request's access token has `scope` (cookie-authenticated requests pass).
 * @throws 403 TRUSS_ERR_AUTH_TOKEN_SCOPE.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { requireScope } from "truss/auth"
 * const app = new App()
 * app.use(requireScope("write"))
 * ```
 */
export function requireScope(scope: string): Middleware {
  return async function requireScope(c: Context, next: Next) {
    const row = c[SLOTS]?.accessToken
    if (row !== undefined && !(row.scopes as string[]).includes(scope))
      throw tokenErrors.TOKEN_SCOPE({ scope })
    await next()
  }
}
