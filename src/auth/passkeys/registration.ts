import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from "@simplewebauthn/server"
import type { Context } from "../../kit.js"
import type { Executor } from "../../orm/index.js"
import type { AuthUser } from "../user-model.js"
import { keepChallenge, takeChallenge } from "./challenge.js"
import { DEFAULT_TIMEOUT, originsOf, type PasskeyConfig } from "./config.js"
import { passkeyErrors } from "./errors.js"
import { Passkey, type PasskeyRow } from "./model.js"

/**
 * Starts registering a passkey for a signed-in user: the options for
 * `navigator.credentials.create()` (a discoverable credential, the user's passkeys
 * excluded), with the challenge kept in the session.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { passkeyRegistrationOptions, userFromSession } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * new App().post("/passkeys/register/options", async (c) => {
 *   const user = await userFromSession(c, db)
 *   return user === undefined ? c.json({}, 401) : passkeyRegistrationOptions(c, db, user, rp)
 * })
 * ```
 */
export async function passkeyRegistrationOptions(
  c: Context,
  db: Executor,
  user: AuthUser,
  config: PasskeyConfig,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const userId = String(user.id)
  const existing = await db.query(Passkey).filter({ userId }).all()
  const timeout = config.timeout ?? DEFAULT_TIMEOUT
  const options = await generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpID,
    userName: user.email,
    userID: new TextEncoder().encode(userId),
    userDisplayName: user.username ?? user.email,
    attestationType: "none",
    timeout,
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: {
      residentKey: "required",
      userVerification: config.userVerification ?? "preferred",
    },
  })
  keepChallenge(c, options.challenge, "register", userId, timeout)
  return options
}

/**
 * Verifies the browser's answer to {@link passkeyRegistrationOptions} and stores the
 * new passkey. The session's challenge is spent whatever the outcome.
 * @throws 400 TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING, TRUSS_ERR_AUTH_PASSKEY_REGISTRATION_FAILED.
 * @example
 * ```ts
 * import type { Context } from "truss"
 * import { type AuthUser, verifyPasskeyRegistration } from "truss/auth"
 * import type { Database } from "truss/orm"
 * async function finish(c: Context, db: Database, user: AuthUser) {
 *   const rp = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 *   const passkey = await verifyPasskeyRegistration(c, db, user, await c.req.json(), rp)
 *   return { id: passkey.credentialId }
 * }
 * ```
 */
export async function verifyPasskeyRegistration(
  c: Context,
  db: Executor,
  user: AuthUser,
  response: unknown,
  config: PasskeyConfig,
  name = "",
): Promise<PasskeyRow> {
  const pending = takeChallenge(c, "register")
  if (pending.userId !== String(user.id)) throw passkeyErrors.PASSKEY_CHALLENGE_MISSING()
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>["registrationInfo"]
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: originsOf(config),
      expectedRPID: config.rpID,
      requireUserVerification: config.userVerification === "required",
    })
    info = result.registrationInfo
  } catch (err) {
    throw passkeyErrors.PASSKEY_REGISTRATION_FAILED(undefined, { cause: err })
  }
  if (info === undefined) throw passkeyErrors.PASSKEY_REGISTRATION_FAILED()
  const { credential } = info
  if ((await db.query(Passkey).filter({ credentialId: credential.id }).count()) > 0) {
    throw passkeyErrors.PASSKEY_REGISTRATION_FAILED()
  }
  return db.query(Passkey).create({
    userId: String(user.id),
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: BigInt(credential.counter),
    transports: [...(credential.transports ?? [])],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: name.slice(0, 100),
  })
}
