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
  OIDC_PROVIDER_UNAVAILABLE: defineError(
    "TRUSS_ERR_AUTH_OIDC_PROVIDER_UNAVAILABLE",
    (p: { provider: string }) =>
      `The sign-in provider "${p.provider}" could not be reached (its discovery document, token or profile endpoint). Try again in a moment.`,
    502,
  ),
}

/**
 * The error for a failed callback: 502 when the provider could not be reached (a
 * network failure), else 400 with the check that failed as `cause`.
 * @internal
 */
export function callbackError(provider: string, err: unknown) {
  if (err instanceof TypeError && err.message === "fetch failed") {
    return oidcErrors.OIDC_PROVIDER_UNAVAILABLE({ provider }, { cause: err, expose: true })
  }
  return oidcErrors.OIDC_CALLBACK_INVALID(undefined, { cause: err })
}
