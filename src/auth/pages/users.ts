/**
 * The user lookups and views the pages share.
 * @module
 */
import type { Context } from "../../kit.js"
import { authState } from "../context.js"
import { userFromSession } from "../login.js"
import type { AuthUser } from "../user-model.js"
import { authPageErrors } from "./errors.js"
import type { Pages } from "./options.js"
import type { TokenSigner } from "./tokens.js"

/** What the JSON answers say about a user. */
export function userView(user: AuthUser): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    username: user.username ?? null,
    emailVerified: user.emailVerified,
  }
}

/** The logged-in user: `c.user` under `auth()`, otherwise read from the session. */
export async function currentUser(c: Context, pages: Pages): Promise<AuthUser | undefined> {
  const state = authState(c)
  if (state !== undefined) return state.user
  return userFromSession(c, pages.db, { model: pages.model })
}

/**
 * The active user a link's token names, when it is well formed, signed here, not
 * expired and not used yet.
 * @throws TRUSS_ERR_AUTH_LINK_INVALID, TRUSS_ERR_AUTH_LINK_EXPIRED, TRUSS_ERR_AUTH_LINK_USED.
 */
export async function userOfLink(
  pages: Pages,
  signer: TokenSigner,
  token: string,
): Promise<AuthUser> {
  const id = signer.open(token)
  const user = (await pages.db.query(pages.model).filter({ id }).first()) as AuthUser | undefined
  if (user === undefined || !user.isActive) throw authPageErrors.LINK_INVALID()
  if (!signer.matches(token, user)) throw authPageErrors.LINK_USED()
  return user
}
