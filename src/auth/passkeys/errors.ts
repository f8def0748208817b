import { defineError } from "../../kit.js"

/**
 * The error codes of passkeys (WebAuthn) in `truss/auth`; each is listed in docs/auth.md.
 * @example
 * ```ts
 * import { passkeyErrors } from "truss/auth"
 * passkeyErrors.PASSKEY_CHALLENGE_MISSING.status // 400
 * ```
 */
export const passkeyErrors = {
  PASSKEY_CHALLENGE_MISSING: defineError(
    "TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING",
    "No passkey ceremony was started in this session, or it expired or was already used. Ask for new options and try again.",
    400,
  ),
  PASSKEY_REGISTRATION_FAILED: defineError(
    "TRUSS_ERR_AUTH_PASSKEY_REGISTRATION_FAILED",
    "The passkey could not be registered: the browser's answer failed verification (challenge, origin, RP ID or attestation). Try again.",
    400,
  ),
  PASSKEY_INVALID: defineError(
    "TRUSS_ERR_AUTH_PASSKEY_INVALID",
    "That passkey was not accepted (unknown, not this account's, or its signature failed). Use a passkey registered for this site, or sign in another way.",
    401,
  ),
  PASSKEY_NOT_FOUND: defineError(
    "TRUSS_ERR_AUTH_PASSKEY_NOT_FOUND",
    "You have no passkey with that id. List your passkeys and pick one of them.",
    404,
  ),
  PASSKEY_LOGIN_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_PASSKEY_LOGIN_REQUIRED",
    "Registering a passkey needs a signed-in user. Sign in first, then add the passkey.",
    401,
  ),
}
