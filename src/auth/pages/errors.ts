/**
 * The coded errors of the built-in auth pages (`authPages()`).
 * @module
 */
import { defineError } from "../../kit.js"

/**
 * The errors `authPages()` answers with, by code.
 * @example
 * ```ts
 * import { authPageErrors } from "truss/auth"
 * authPageErrors.LINK_EXPIRED().status // 400
 * ```
 */
export const authPageErrors = {
  LINK_INVALID: defineError(
    "TRUSS_ERR_AUTH_LINK_INVALID",
    "This link is not valid: it was changed or cut short. Copy the whole link from the email, or ask for a new one.",
    400,
  ),
  LINK_EXPIRED: defineError(
    "TRUSS_ERR_AUTH_LINK_EXPIRED",
    "This link has expired. Ask for a new one.",
    400,
  ),
  LINK_USED: defineError(
    "TRUSS_ERR_AUTH_LINK_USED",
    "This link was already used (or the account changed since it was sent). Ask for a new one.",
    400,
  ),
  FORM_INVALID: defineError(
    "TRUSS_ERR_AUTH_FORM_INVALID",
    "Some fields need fixing; `errors` lists them by field with a code and a message.",
    422,
  ),
  SIGNUP_DISABLED: defineError(
    "TRUSS_ERR_AUTH_SIGNUP_DISABLED",
    "Sign-up is switched off on this site. Ask an administrator for an account.",
    404,
  ),
  SECRET_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_PAGES_SECRET",
    "authPages() needs `secret`: at least 32 characters that sign reset and verification links. Pass the app's secret (e.g. process.env.SECRET_KEY).",
    500,
  ),
} as const
