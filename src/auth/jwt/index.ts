/**
 * JWT access tokens for `truss/auth`: key sets, verification and the bearer middleware.
 * The public entry is `truss/auth`; this file gathers the part for it.
 * @internal
 * @module
 */
export { jwtErrors } from "./errors.js"
export {
  generateJwtKey,
  type JwtAlgorithm,
  type JwtKey,
  type JwtKeyMaterial,
  type JwtKeySet,
  type JwtOptions,
  jwtKeys,
} from "./keys.js"
export { type JwtAuthOptions, jwtAuth } from "./middleware.js"
export {
  issueRefreshToken,
  RefreshToken,
  revokeRefreshTokens,
  rotateRefreshToken,
} from "./refresh.js"
