/**
 * Personal access tokens for `truss/auth`.
 * @internal
 * @module
 */
export { tokenErrors } from "./errors.js"
export { requireScope, tokenAuth } from "./middleware.js"
export { AccessToken } from "./model.js"
export {
  type AccessTokenRow,
  authenticateAccessToken,
  type CreateTokenOptions,
  createAccessToken,
  hashToken,
  revokeAccessToken,
} from "./tokens.js"
