import type { Context } from "../../kit.js"
import "../../sessions/index.js"
import { passkeyErrors } from "./errors.js"

/**
 * The session key holding the pending WebAuthn challenge.
 * @example
 * ```ts
 * import { PASSKEY_CHALLENGE_KEY } from "truss/auth"
 * PASSKEY_CHALLENGE_KEY // "_passkey_challenge"
 * ```
 */
export const PASSKEY_CHALLENGE_KEY = "_passkey_challenge"

/** What a ceremony is for: a new credential, a passwordless login, or a second factor. */
export type PasskeyPurpose = "register" | "login" | "second-factor"

interface Pending {
  readonly challenge: string
  readonly purpose: PasskeyPurpose
  readonly userId: string | null
  readonly expires: number
}

interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/** Keeps a fresh challenge in the session, replacing any earlier one. */
export function keepChallenge(
  c: Context,
  challenge: string,
  purpose: PasskeyPurpose,
  userId: string | null,
  timeout: number,
): void {
  const pending: Pending = { challenge, purpose, userId, expires: Date.now() + timeout }
  ;(c.session as unknown as RawSession).set(PASSKEY_CHALLENGE_KEY, pending)
}

/**
 * Takes the pending challenge out of the session (single use): it must exist, be of
 * this purpose and not be expired.
 * @throws 400 TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING.
 */
export function takeChallenge(
  c: Context,
  purpose: PasskeyPurpose,
): { challenge: string; userId: string | null } {
  const session = c.session as unknown as RawSession
  const pending = session.get(PASSKEY_CHALLENGE_KEY) as Pending | undefined
  session.delete(PASSKEY_CHALLENGE_KEY)
  if (pending === undefined || pending.purpose !== purpose || pending.expires < Date.now()) {
    throw passkeyErrors.PASSKEY_CHALLENGE_MISSING()
  }
  return { challenge: pending.challenge, userId: pending.userId }
}
