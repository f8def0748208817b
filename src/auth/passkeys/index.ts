/**
 * Passkeys (WebAuthn) for `truss/auth`: registration, passwordless login and use as a
 * second factor, with `@simplewebauthn/server`.
 * @internal
 * @module
 */
export {
  passkeyLoginOptions,
  passkeySecondFactorOptions,
  verifyPasskeyLogin,
  verifyPasskeySecondFactor,
} from "./authentication.js"
export { PASSKEY_CHALLENGE_KEY } from "./challenge.js"
export type { PasskeyConfig } from "./config.js"
export { passkeyErrors } from "./errors.js"
export { deletePasskey, listPasskeys } from "./manage.js"
export { Passkey, type PasskeyRow } from "./model.js"
export { passkeyRegistrationOptions, verifyPasskeyRegistration } from "./registration.js"
export { type PasskeyRoutesOptions, passkeyRoutes } from "./routes.js"
