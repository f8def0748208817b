/**
 * The built-in account pages of `truss/auth`: login, logout, signup, password change,
 * password reset by mail and email verification, as HTML forms and JSON endpoints.
 * @module
 */
export { authPages } from "./auth-pages.js"
export { authPageErrors } from "./errors.js"
export type { AuthPagesOptions } from "./options.js"
export { type TokenPurpose, type TokenSigner, tokenSigner } from "./tokens.js"
