import type { Context } from "../../kit.js"
import type { Executor } from "../../orm/index.js"
import "../../sessions/index.js"
import { login, sessionAuthHash, type UserModelOption } from "../login.js"
import { User } from "../models.js"
import type { AuthUser } from "../user-model.js"
import { markAuthenticated } from "./step-up.js"

/**
 * The session key of a sign-in whose password was right and which awaits a second factor.
 * @example
 * ```ts
 * import { MFA_PENDING_KEY } from "truss/auth"
 * MFA_PENDING_KEY // "_mfa_pending"
 * ```
 */
export const MFA_PENDING_KEY = "_mfa_pending"

/** How long a password sign-in waits for its second factor. */
const PENDING_MS = 300_000

interface Pending {
  readonly userId: string
  readonly hash: string
  readonly expires: number
}

interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/**
 * Records that `user` gave the right password and must now give a second factor (TOTP,
 * a recovery code or a passkey). The user is not logged in yet.
 * @example
 * ```ts
 * import type { Context } from "truss"
 * import { authenticate, startSecondFactor } from "truss/auth"
 * import type { Database } from "truss/orm"
 * async function password(c: Context, db: Database) {
 *   const user = await authenticate(db, "ann@example.com", "a long passphrase")
 *   if (user !== undefined) startSecondFactor(c, user)
 * }
 * ```
 */
export function startSecondFactor(c: Context, user: AuthUser, now = Date.now()): void {
  const pending: Pending = {
    userId: String(user.id),
    hash: sessionAuthHash(user),
    expires: now + PENDING_MS,
  }
  ;(c.session as unknown as RawSession).set(MFA_PENDING_KEY, pending)
}

/**
 * The user awaiting a second factor in this session, or undefined when none is (or it
 * expired, or the user was disabled or changed password meanwhile).
 * @example
 * ```ts
 * import type { Context } from "truss"
 * import { pendingSecondFactor } from "truss/auth"
 * import type { Database } from "truss/orm"
 * async function who(c: Context, db: Database) {
 *   return (await pendingSecondFactor(c, db))?.email
 * }
 * ```
 */
export async function pendingSecondFactor(
  c: Context,
  db: Executor,
  options: UserModelOption = {},
  now = Date.now(),
): Promise<AuthUser | undefined> {
  const pending = (c.session as unknown as RawSession).get(MFA_PENDING_KEY) as Pending | undefined
  if (pending === undefined || pending.expires < now) return undefined
  const user = (await db
    .query(options.model ?? User)
    .filter({ id: Number(pending.userId) })
    .first()) as AuthUser | undefined
  if (user === undefined || !user.isActive || sessionAuthHash(user) !== pending.hash) {
    return undefined
  }
  return user
}

/**
 * Completes a sign-in once the second factor was checked: clears the pending state,
 * logs the user in (a new session id) and opens the step-up window.
 * @example
 * ```ts
 * import type { Context } from "truss"
 * import { finishSecondFactor, type AuthUser } from "truss/auth"
 * async function done(c: Context, user: AuthUser) {
 *   await finishSecondFactor(c, user)
 * }
 * ```
 */
export async function finishSecondFactor(c: Context, user: AuthUser): Promise<void> {
  ;(c.session as unknown as RawSession).delete(MFA_PENDING_KEY)
  await login(c, user)
  markAuthenticated(c)
}
