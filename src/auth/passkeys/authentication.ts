import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server"
import type { Context } from "../../kit.js"
import type { Executor } from "../../orm/index.js"
import { login } from "../login.js"
import {
  finishSecondFactor,
  markAuthenticated,
  mfaErrors,
  pendingSecondFactor,
} from "../mfa/index.js"
import { User } from "../models.js"
import type { AuthUser } from "../user-model.js"
import { keepChallenge, type PasskeyPurpose, takeChallenge } from "./challenge.js"
import { DEFAULT_TIMEOUT, originsOf, type PasskeyConfig } from "./config.js"
import { passkeyErrors } from "./errors.js"
import { Passkey } from "./model.js"

async function requestOptions(
  c: Context,
  config: PasskeyConfig,
  purpose: PasskeyPurpose,
  userId: string | null,
  allow: { id: string; transports: string[] }[] | undefined,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const timeout = config.timeout ?? DEFAULT_TIMEOUT
  const options = await generateAuthenticationOptions({
    rpID: config.rpID,
    timeout,
    userVerification: config.userVerification ?? "preferred",
    ...(allow === undefined ? {} : { allowCredentials: allow }),
  })
  keepChallenge(c, options.challenge, purpose, userId, timeout)
  return options
}

/** Checks an assertion against the stored passkey, bumps its counter, returns its user. */
async function checkAssertion(
  db: Executor,
  response: unknown,
  challenge: string,
  config: PasskeyConfig,
  expectedUserId: string | null,
): Promise<AuthUser> {
  const id = (response as { id?: unknown } | null)?.id
  if (typeof id !== "string") throw passkeyErrors.PASSKEY_INVALID()
  const passkey = await db.query(Passkey).filter({ credentialId: id }).first()
  if (passkey === undefined) throw passkeyErrors.PASSKEY_INVALID()
  if (expectedUserId !== null && passkey.userId !== expectedUserId) {
    throw passkeyErrors.PASSKEY_INVALID()
  }
  let newCounter: number
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: originsOf(config),
      expectedRPID: config.rpID,
      requireUserVerification: config.userVerification === "required",
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: Number(passkey.counter),
        transports: passkey.transports as never,
      },
    })
    if (!result.verified) throw passkeyErrors.PASSKEY_INVALID()
    newCounter = result.authenticationInfo.newCounter
  } catch (err) {
    throw passkeyErrors.PASSKEY_INVALID(undefined, { cause: err })
  }
  // Conditional on the counter read: two racing uses of one assertion cannot both count.
  const updated = await db
    .query(Passkey)
    .filter({ id: passkey.id, counter: passkey.counter })
    .update({ counter: BigInt(newCounter), lastUsedAt: new Date() })
  if (updated !== 1) throw passkeyErrors.PASSKEY_INVALID()
  const user = (await db
    .query(config.model ?? User)
    .filter({ id: Number(passkey.userId) })
    .first()) as AuthUser | undefined
  if (user === undefined || !user.isActive) throw passkeyErrors.PASSKEY_INVALID()
  return user
}

/**
 * Starts a passwordless sign-in: options for `navigator.credentials.get()` with no
 * `allowCredentials`, so the browser offers the site's discoverable passkeys.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { passkeyLoginOptions } from "truss/auth"
 * const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * new App().post("/passkeys/login/options", (c) => passkeyLoginOptions(c, rp))
 * ```
 */
export function passkeyLoginOptions(
  c: Context,
  config: PasskeyConfig,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return requestOptions(c, config, "login", null, undefined)
}

/**
 * Finishes a passwordless sign-in: verifies the assertion against the stored passkey,
 * then logs its user in (`login()`, a new session id) and opens the step-up window.
 * @throws 400 TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING, 401 TRUSS_ERR_AUTH_PASSKEY_INVALID.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { verifyPasskeyLogin } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * new App().post("/passkeys/login", async (c) => {
 *   const user = await verifyPasskeyLogin(c, db, await c.req.json(), rp)
 *   return { email: user.email }
 * })
 * ```
 */
export async function verifyPasskeyLogin(
  c: Context,
  db: Executor,
  response: unknown,
  config: PasskeyConfig,
): Promise<AuthUser> {
  const { challenge } = takeChallenge(c, "login")
  const user = await checkAssertion(db, response, challenge, config, null)
  await login(c, user)
  markAuthenticated(c)
  return user
}

/**
 * Starts a passkey as the second factor of a password sign-in (after
 * `startSecondFactor()`): options allowing only that user's passkeys.
 * @throws 401 TRUSS_ERR_AUTH_MFA_NOT_PENDING when no sign-in awaits a second factor.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { passkeySecondFactorOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * new App().post("/passkeys/2fa/options", (c) => passkeySecondFactorOptions(c, db, rp))
 * ```
 */
export async function passkeySecondFactorOptions(
  c: Context,
  db: Executor,
  config: PasskeyConfig,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const user = await pendingSecondFactor(c, db, { model: config.model })
  if (user === undefined) throw mfaErrors.MFA_NOT_PENDING()
  const userId = String(user.id)
  const mine = await db.query(Passkey).filter({ userId }).all()
  const allow = mine.map((p) => ({ id: p.credentialId, transports: p.transports }))
  return requestOptions(c, config, "second-factor", userId, allow)
}

/**
 * Finishes a password sign-in with a passkey as second factor: the passkey must be the
 * pending user's; then the user is logged in.
 * @throws 400 TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING, 401 TRUSS_ERR_AUTH_PASSKEY_INVALID, TRUSS_ERR_AUTH_MFA_NOT_PENDING.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { verifyPasskeySecondFactor } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * new App().post("/passkeys/2fa", async (c) => {
 *   const user = await verifyPasskeySecondFactor(c, db, await c.req.json(), rp)
 *   return { email: user.email }
 * })
 * ```
 */
export async function verifyPasskeySecondFactor(
  c: Context,
  db: Executor,
  response: unknown,
  config: PasskeyConfig,
): Promise<AuthUser> {
  const pending = await pendingSecondFactor(c, db, { model: config.model })
  if (pending === undefined) throw mfaErrors.MFA_NOT_PENDING()
  const { challenge, userId } = takeChallenge(c, "second-factor")
  if (userId !== String(pending.id)) throw passkeyErrors.PASSKEY_CHALLENGE_MISSING()
  const user = await checkAssertion(db, response, challenge, config, userId)
  await finishSecondFactor(c, user)
  return user
}
