import { defineError } from "../../kit.js"

/**
 * The error codes of the MFA part of `truss/auth`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { mfaErrors } from "truss/auth"
 * mfaErrors.MFA_CODE_REPLAYED.status // 401
 * ```
 */
export const mfaErrors = {
  MFA_CODE_INVALID: defineError(
    "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
    "That authentication code is not valid. Enter the current 6-digit code from your authenticator app (check the phone's clock), or a recovery code.",
    401,
  ),
  MFA_CODE_REPLAYED: defineError(
    "TRUSS_ERR_AUTH_MFA_CODE_REPLAYED",
    "That authentication code was already used. Wait for the next code in your authenticator app and enter it.",
    401,
  ),
  MFA_RECOVERY_INVALID: defineError(
    "TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID",
    "That recovery code is not valid or was already used (each works once). Use another of your recovery codes.",
    401,
  ),
  MFA_STEP_UP_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
    (p: { maxAge: number }) =>
      `This action needs a sign-in within the last ${p.maxAge} seconds. Confirm your password or second factor, then try again.`,
    401,
  ),
  MFA_NOT_PENDING: defineError(
    "TRUSS_ERR_AUTH_MFA_NOT_PENDING",
    "No sign-in is waiting for a second factor in this session (it was never started, or it expired after 5 minutes). Sign in with your password again.",
    401,
  ),
  MFA_LOGIN_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_MFA_LOGIN_REQUIRED",
    "Setting up two-factor authentication needs a signed-in user. Sign in first, then open this page again.",
    401,
  ),
}
