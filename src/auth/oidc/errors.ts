import { defineError } from "../../kit.js"

/**
 * The error codes of OIDC / OAuth 2 login in `truss/auth`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { oidcErrors } from "truss/auth"
 * oidcErrors.OIDC_STATE_MISMATCH.status // 400
 * ```
 */
export const oidcErrors = {
  OIDC_STATE_MISMATCH: defineError(
    "TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH",
    "This sign-in callback does not belong to a sign-in started in this browser (missing or wrong state). Start the sign-in again.",
    400,
  ),
  OIDC_CALLBACK_INVALID: defineError(
    "TRUSS_ERR_AUTH_OIDC_CALLBACK_INVALID",
    "The identity provider's answer was refused (an error, a bad code, a wrong nonce or an invalid ID token). Start the sign-in again.",
    400,
  ),
  OIDC_ALREADY_LINKED: defineError(
    "TRUSS_ERR_AUTH_OIDC_ALREADY_LINKED",
    "This provider account is already linked to another user. Sign in as that user, or use another provider account.",
    409,
  ),
  OIDC_EMAIL_UNVERIFIED: defineError(
    "TRUSS_ERR_AUTH_OIDC_EMAIL_UNVERIFIED",
    "The provider did not confirm an email address for this account, so no account can be found or made from it. Verify your email at the provider, or sign in another way.",
    403,
  ),
  OIDC_NO_ACCOUNT: defineError(
    "TRUSS_ERR_AUTH_OIDC_NO_ACCOUNT",
    "No active account belongs to this sign-in, and new accounts are not made here. Sign up first, or ask an administrator.",
    403,
  ),
}
