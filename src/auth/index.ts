/**
 * `truss/auth`: users, groups and permissions, password hashing (argon2id, scrypt,
 * Django pbkdf2_sha256), authentication and session login/logout, personal access
 * tokens, JWT with refresh-token families, OIDC login, TOTP and recovery codes, step-up.
 * Work in progress: not yet a public subpath in package.json (see docs/auth.md).
 * @module
 */

/**
 * The coded errors of auth.
 * @example
 * ```ts
 * import { authErrors } from "truss/auth"
 * authErrors.INVALID_CREDENTIALS().code // "TRUSS_ERR_AUTH_INVALID_CREDENTIALS"
 * ```
 */
export type { CurrentUser } from "./context.js"
export { authErrors } from "./errors.js"
export { requirePermission, requireStaff, requireUser, safeNext } from "./guards.js"
export {
  generateJwtKey,
  issueRefreshToken,
  type JwtAlgorithm,
  type JwtAuthOptions,
  type JwtKey,
  type JwtKeyMaterial,
  type JwtKeySet,
  type JwtOptions,
  jwtAuth,
  jwtErrors,
  jwtKeys,
  RefreshToken,
  revokeRefreshTokens,
  rotateRefreshToken,
} from "./jwt/index.js"
/**
 * Authentication and session login.
 * @example
 * ```ts
 * import { authenticate, login } from "truss/auth"
 * import type { Context } from "truss"
 * import type { Database } from "truss/orm"
 * async function signIn(c: Context, db: Database) {
 *   const user = await authenticate(db, "ann@example.com", "secret pass")
 *   if (user !== undefined) await login(c, user)
 * }
 * ```
 */
export {
  authenticate,
  changePassword,
  createUser,
  login,
  logout,
  SESSION_HASH_KEY,
  SESSION_USER_KEY,
  sessionAuthHash,
  type UserModelOption,
  userFromSession,
} from "./login.js"
export {
  AUTH_AT_KEY,
  assertRecentLogin,
  checkSecondFactor,
  confirmTotp,
  disableTotp,
  finishSecondFactor,
  hasTotp,
  MFA_PENDING_KEY,
  type MfaLayout,
  markAuthenticated,
  mfaErrors,
  pendingSecondFactor,
  recoveryCodes,
  requireRecentLogin,
  startSecondFactor,
  type TotpDevice,
  TotpDeviceModel,
  type TotpDeviceRow,
  type TotpEnrollmentOptions,
  type TotpRoutesOptions,
  totpCode,
  totpEnrollment,
  totpQrSvg,
  totpRoutes,
  useRecoveryCode,
  verifyTotp,
} from "./mfa/index.js"
export { type AuthOptions, auth } from "./middleware.js"
/**
 * The auth models.
 * @example
 * ```ts
 * import { authModels, User } from "truss/auth"
 * User.meta.table // "auth_user"
 * authModels.length // 6
 * ```
 */
export {
  authModels,
  Group,
  normalizeEmail,
  Permission,
  User,
  type UserRow,
} from "./models.js"
export {
  LinkedAccount,
  type LinkUsers,
  linkIdentity,
  type OAuth2ProviderOptions,
  type OAuthLoginOptions,
  type OAuthLoginResult,
  type OAuthRoutesOptions,
  type OidcIdentity,
  type OidcProvider,
  type OidcProviderOptions,
  oauth2Provider,
  oauthLogin,
  oauthRoutes,
  oidcErrors,
  oidcProvider,
} from "./oidc/index.js"
/**
 * The built-in account pages (login, logout, signup, password change and reset, email
 * verification) as one blueprint of HTML forms and JSON endpoints.
 * @example
 * ```ts
 * import { authPages } from "truss/auth"
 * import { createMailer, memoryTransport } from "truss/mail"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const mailer = createMailer({ transport: memoryTransport(), from: "no-reply@acme.test" })
 * const pages = authPages({ db, mailer, secret: "a-32-character-secret-for-tests!!" })
 * pages.prefix // "/accounts"
 * ```
 */
export {
  type AuthPagesOptions,
  authPageErrors,
  authPages,
  type TokenPurpose,
  type TokenSigner,
  tokenSigner,
} from "./pages/index.js"
export {
  deletePasskey,
  listPasskeys,
  PASSKEY_CHALLENGE_KEY,
  Passkey,
  type PasskeyConfig,
  type PasskeyRoutesOptions,
  type PasskeyRow,
  passkeyErrors,
  passkeyLoginOptions,
  passkeyRegistrationOptions,
  passkeyRoutes,
  passkeySecondFactorOptions,
  verifyPasskeyLogin,
  verifyPasskeyRegistration,
  verifyPasskeySecondFactor,
} from "./passkeys/index.js"
/**
 * Password hashing.
 * @example
 * ```ts
 * import { hashPassword, verifyPassword } from "truss/auth"
 * const encoded = await hashPassword("correct horse")
 * await verifyPassword(encoded, "correct horse") // true
 * ```
 */
export {
  ARGON2,
  dummyVerify,
  hashPassword,
  hashPasswordScrypt,
  needsRehash,
  verifyPassword,
} from "./passwords.js"
export {
  defineObjectPermission,
  hasPerm,
  MODEL_ACTIONS,
  modelPermissions,
  type ObjectPermissionRule,
  type PermissionSubject,
  permissionCodename,
  syncPermissions,
  userPermissions,
} from "./permissions.js"
export {
  AuthSession,
  type AuthSessionStoreOptions,
  authSessionStore,
  endUserSessions,
} from "./session-store.js"
export { type LoginThrottle, type LoginThrottleOptions, loginThrottle } from "./throttle.js"
export {
  AccessToken,
  type AccessTokenRow,
  authenticateAccessToken,
  type CreateTokenOptions,
  createAccessToken,
  hashToken,
  requireScope,
  revokeAccessToken,
  tokenAuth,
  tokenErrors,
} from "./tokens/index.js"
export {
  type AuthTypes,
  type AuthUser,
  defineUserModel,
  type UserModel,
  type UserModelRow,
} from "./user-model.js"
export {
  defaultPasswordValidators,
  minimumLength,
  notCommon,
  notNumeric,
  notSimilarToUser,
  type PasswordOwner,
  type PasswordProblem,
  type PasswordValidator,
  passwordProblems,
  validatePassword,
} from "./validators.js"
