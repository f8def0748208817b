import type { Context } from "../../kit.js"
import type { Database } from "../../orm/index.js"
import { login, type UserModelOption, userFromSession } from "../login.js"
import { markAuthenticated, startSecondFactor } from "../mfa/index.js"
import { normalizeEmail, User } from "../models.js"
import type { AuthUser } from "../user-model.js"
import { oidcErrors } from "./errors.js"
import { LinkedAccount, linkIdentity } from "./linked-account.js"
import type { OidcIdentity } from "./provider.js"

/**
 * Options of {@link oauthLogin}.
 * @example
 * ```ts
 * import { hasTotp, type OAuthLoginOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const options: OAuthLoginOptions = { signup: false, secondFactor: (u) => hasTotp(db, u.id) }
 * ```
 */
export interface OAuthLoginOptions extends UserModelOption {
  /** Make a user (no password) for a first sign-in with an unknown, verified email. @default true */
  readonly signup?: boolean
  /** Whether this user must give a second factor first, e.g. `(u) => hasTotp(db, u.id)`. */
  readonly secondFactor?: (user: AuthUser) => Promise<boolean>
}

/**
 * What {@link oauthLogin} did.
 * @example
 * ```ts
 * import type { OAuthLoginResult } from "truss/auth"
 * const next = (r: OAuthLoginResult) => (r.outcome === "second-factor" ? "/mfa/verify" : "/")
 * ```
 */
export interface OAuthLoginResult {
  readonly user: AuthUser
  /** "linked" added the provider to the signed-in user; "second-factor" awaits `/mfa/verify`. */
  readonly outcome: "logged-in" | "linked" | "second-factor"
}

/**
 * Ends an OIDC or OAuth 2 sign-in in the Truss session. A signed-in user gets the
 * provider linked to them (several providers per user). Otherwise the identity resolves
 * to its linked user, else to the user with the same verified email (then linked), else
 * to a new user; then `login()` rotates the session id, or `startSecondFactor()` waits
 * for the user's second factor.
 * @throws 409 TRUSS_ERR_AUTH_OIDC_ALREADY_LINKED, 403 TRUSS_ERR_AUTH_OIDC_EMAIL_UNVERIFIED, 403 TRUSS_ERR_AUTH_OIDC_NO_ACCOUNT.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { oauthLogin, oidcProvider } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const google = oidcProvider({ name: "google", issuer: "https://accounts.google.com", clientId: "id", clientSecret: "secret", redirectUri: "https://app.example.com/auth/google/callback" })
 * new App().get("/auth/google/callback", async (c) => {
 *   await oauthLogin(c, db, await google.callback(c))
 *   return c.redirect("/", 303)
 * })
 * ```
 */
export async function oauthLogin(
  c: Context,
  db: Database,
  identity: OidcIdentity,
  options: OAuthLoginOptions = {},
): Promise<OAuthLoginResult> {
  const model = options.model ?? User
  const current = await userFromSession(c, db, options)
  if (current !== undefined) return { user: await linkTo(db, current, identity), outcome: "linked" }
  const userId = await linkIdentity(db, identity, {
    findByEmail: async (email) =>
      (
        await db
          .query(model)
          .filter({ email: normalizeEmail(email) })
          .first()
      )?.id,
    ...(options.signup === false
      ? {}
      : {
          create: async (i: OidcIdentity) => {
            // An unconfirmed email could be anyone's: it may neither find nor make an account.
            if (!i.emailVerified || i.email === undefined) throw oidcErrors.OIDC_EMAIL_UNVERIFIED()
            const made = await db
              .query(model)
              .create({ email: normalizeEmail(i.email), password: "" } as never)
            return made.id
          },
        }),
  })
  const user =
    userId === undefined
      ? undefined
      : ((await db
          .query(model)
          .filter({ id: Number(userId) })
          .first()) as AuthUser | undefined)
  if (user === undefined || !user.isActive) throw oidcErrors.OIDC_NO_ACCOUNT()
  if (options.secondFactor !== undefined && (await options.secondFactor(user))) {
    startSecondFactor(c, user)
    return { user, outcome: "second-factor" }
  }
  await login(c, user)
  markAuthenticated(c)
  return { user, outcome: "logged-in" }
}

async function linkTo(db: Database, user: AuthUser, identity: OidcIdentity): Promise<AuthUser> {
  const known = await db
    .query(LinkedAccount)
    .filter({ provider: identity.provider, subject: identity.subject })
    .first()
  if (known !== undefined) {
    if (known.userId !== String(user.id)) throw oidcErrors.OIDC_ALREADY_LINKED()
    return user
  }
  await db.query(LinkedAccount).create({
    userId: String(user.id),
    provider: identity.provider,
    subject: identity.subject,
    email: identity.email ?? null,
  })
  return user
}
