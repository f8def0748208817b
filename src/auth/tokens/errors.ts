import { defineError } from "../../kit.js"

/**
 * The error codes of personal access tokens in `truss/auth`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { tokenErrors } from "truss/auth"
 * tokenErrors.TOKEN_INVALID.status // 401
 * ```
 */
export const tokenErrors = {
  TOKEN_INVALID: defineError(
    "TRUSS_ERR_AUTH_TOKEN_INVALID",
    "The bearer token is unknown, revoked or expired. Create a new personal access token and send it as Authorization: Bearer <token>.",
    401,
  ),
  TOKEN_SCOPE: defineError(
    "TRUSS_ERR_AUTH_TOKEN_SCOPE",
    (p: { scope: string }) =>
      `This token lacks the "${p.scope}" scope. Create a token with that scope.`,
    403,
  ),
}
