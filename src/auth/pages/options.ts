/**
 * The options of `authPages()` and what its route modules share once resolved.
 * @module
 */

import type { Address, Mailer } from "../../mail/index.js"
import type { Database } from "../../orm/index.js"
import type { LoginThrottle } from "../throttle.js"
import type { AuthUser, UserModel } from "../user-model.js"
import type { PasswordValidator } from "../validators.js"
import type { PageKit } from "./respond.js"
import type { TokenSigner } from "./tokens.js"

/**
 * Options of {@link authPages}.
 * @example
 * ```ts
 * import type { AuthPagesOptions } from "truss/auth"
 * import { createMailer, memoryTransport } from "truss/mail"
 * import { connect } from "truss/orm"
 * const options: AuthPagesOptions = {
 *   db: await connect("sqlite::memory:"),
 *   mailer: createMailer({ transport: memoryTransport() }),
 *   secret: "a-32-character-secret-for-tests!!",
 *   from: "Acme <no-reply@acme.test>",
 *   signup: false,
 * }
 * ```
 */
export interface AuthPagesOptions {
  /** The database holding the users. */
  readonly db: Database
  /** Sends the reset and verification mails. */
  readonly mailer: Mailer
  /** Signs reset and verification links (HMAC-SHA256); at least 32 characters. */
  readonly secret: string
  /** The sender of those mails. @default the mailer's `from` */
  readonly from?: Address
  /** Whether `/signup` exists (404 when off). @default true */
  readonly signup?: boolean
  /** @default "/accounts" */
  readonly prefix?: string
  /**
   * Your template folders, searched before the built-in ones: put `auth/login.liquid`
   * (or `auth/base.liquid`, `auth/mail/password-reset.html.liquid` …) there to override.
   */
  readonly templates?: string | readonly string[]
  /** Failed-login throttle for the login and password-change forms. @default loginThrottle() */
  readonly throttle?: LoginThrottle
  /** Where a login or signup goes without a `next`. @default "/" */
  readonly redirectTo?: string
  /** The site name in page titles and mails. @default "Truss" */
  readonly site?: string
  /**
   * The public origin for links in mails, e.g. `https://acme.example`. Set it in
   * production: otherwise the request's Host header (which a client controls) is used.
   */
  readonly baseUrl?: string
  /** Seconds a reset link works. @default 3600 */
  readonly resetMaxAge?: number
  /** Seconds a verification link works. @default 259200 (3 days) */
  readonly verifyMaxAge?: number
  /** Seconds after a sign-in within which the password may be changed. @default 600 */
  readonly stepUpMaxAge?: number
  /** Password validators. @default defaultPasswordValidators() */
  readonly validators?: readonly PasswordValidator[]
  /** A `defineUserModel()` model instead of `User`. */
  readonly model?: UserModel
  /**
   * Whether a user who gave the right password must also give a second factor, e.g.
   * `(u) => hasTotp(db, u.id)`. Then login calls `startSecondFactor()` and sends the
   * browser to `secondFactorUrl` instead of logging in.
   */
  readonly secondFactor?: (user: AuthUser) => boolean | Promise<boolean>
  /** The second-factor page. @default "/mfa/verify" (totpRoutes()) */
  readonly secondFactorUrl?: string
  /**
   * Where `passkeyRoutes()` is mounted (e.g. `"/passkeys"`): the login page then offers
   * "Sign in with a passkey", using the client script that route serves.
   */
  readonly passkeys?: string
}

/** What the route modules share. @internal */
export interface Pages {
  readonly kit: PageKit
  readonly db: Database
  readonly model: UserModel
  readonly mailer: Mailer
  readonly from: Address | undefined
  readonly throttle: LoginThrottle
  readonly redirectTo: string
  readonly baseUrl: string | undefined
  readonly reset: TokenSigner
  readonly verify: TokenSigner
  readonly resetMaxAge: number
  readonly verifyMaxAge: number
  readonly stepUpMaxAge: number
  readonly validators: readonly PasswordValidator[] | undefined
  readonly secondFactor: AuthPagesOptions["secondFactor"]
  readonly secondFactorUrl: string
}
