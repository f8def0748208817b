import { defineError } from "../../kit.js"

/**
 * The error codes of the JWT part of `truss/auth`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { jwtErrors } from "truss/auth"
 * jwtErrors.JWT_EXPIRED.status // 401
 * ```
 */
export const jwtErrors = {
  JWT_INVALID: defineError(
    "TRUSS_ERR_AUTH_JWT_INVALID",
    "The bearer token is not a valid JWT for this service (malformed, bad signature, unknown kid or a refused algorithm such as none). Sign in again to get a new token.",
    401,
  ),
  JWT_EXPIRED: defineError(
    "TRUSS_ERR_AUTH_JWT_EXPIRED",
    "The bearer token has expired (exp is past, beyond the allowed clock skew). Refresh it or sign in again.",
    401,
  ),
  JWT_NOT_YET_VALID: defineError(
    "TRUSS_ERR_AUTH_JWT_NOT_YET_VALID",
    "The bearer token is not valid yet (nbf is in the future, beyond the allowed clock skew). Check the issuer's clock.",
    401,
  ),
  JWT_CLAIM_INVALID: defineError(
    "TRUSS_ERR_AUTH_JWT_CLAIM_INVALID",
    (p: { claim: string }) =>
      `The bearer token's "${p.claim}" claim does not match this service (a token issued for another audience or by another issuer). Get a token issued for this service.`,
    401,
  ),
  JWT_REFRESH_INVALID: defineError(
    "TRUSS_ERR_AUTH_JWT_REFRESH_INVALID",
    "The refresh token is unknown, expired or revoked. Sign in again.",
    401,
  ),
  JWT_REFRESH_REUSED: defineError(
    "TRUSS_ERR_AUTH_JWT_REFRESH_REUSED",
    "This refresh token was already used, so it may have been stolen: every token of its family is now revoked. Sign in again.",
    401,
  ),
  JWT_NO_KEYS: defineError(
    "TRUSS_ERR_AUTH_JWT_NO_KEYS",
    "jwtKeys() needs at least one key: pass keys: [{ kid, alg, ... }], the first one signs.",
    500,
  ),
}
