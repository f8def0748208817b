/**
 * The coded errors of `truss/auth`.
 * @module
 */
import { defineError } from "../kit.js"

/**
 * The errors `truss/auth` throws, by code.
 * @example
 * ```ts
 * import { authErrors } from "truss/auth"
 * authErrors.LOGIN_REQUIRED().status // 401
 * ```
 */
export const authErrors = {
  INVALID_CREDENTIALS: defineError(
    "TRUSS_ERR_AUTH_INVALID_CREDENTIALS",
    "The email or the password is wrong. Check both and try again.",
    401,
  ),
  USER_MODEL_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_USER_MODEL_REQUIRED",
    "No database was given to auth. Pass `auth({ db })` a connected Database.",
    500,
  ),
  LOGIN_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_LOGIN_REQUIRED",
    "This needs a logged-in user. Log in (or send `Authorization: Bearer <token>`) and try again.",
    401,
  ),
  PERMISSION_DENIED: defineError(
    "TRUSS_ERR_AUTH_PERMISSION_DENIED",
    (p: { need: string }) =>
      `You do not have permission to do this (needs ${p.need}). Ask an administrator for it.`,
    403,
  ),
  AUTH_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_MIDDLEWARE_REQUIRED",
    (p: { guard: string }) =>
      `${p.guard} needs the auth() middleware before it. Add app.use(auth({ db })) after sessions().`,
    500,
  ),
  LOCKED_OUT: defineError(
    "TRUSS_ERR_AUTH_LOCKED_OUT",
    (p: { retryAfter: number }) =>
      `Too many failed logins. Wait ${p.retryAfter} seconds, then try again.`,
    429,
  ),
  PASSWORD_INVALID: defineError(
    "TRUSS_ERR_AUTH_PASSWORD_INVALID",
    (p: { reasons: string }) => `Choose another password: ${p.reasons}`,
    422,
  ),
  CLI_CANCELLED: defineError(
    "TRUSS_ERR_AUTH_CLI_CANCELLED",
    "Cancelled: nothing was changed.",
    400,
  ),
  CLI_EMAIL_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_CLI_EMAIL_REQUIRED",
    "No terminal to ask in: pass --email <email> (and set TRUSS_SUPERUSER_PASSWORD).",
    400,
  ),
  CLI_EMAIL_INVALID: defineError(
    "TRUSS_ERR_AUTH_CLI_EMAIL_INVALID",
    (p: { email: string; problem: string }) => `Cannot use ${p.email}: ${p.problem}`,
    400,
  ),
  CLI_PASSWORD_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_CLI_PASSWORD_REQUIRED",
    "No terminal to ask in: set TRUSS_SUPERUSER_PASSWORD to the new password.",
    400,
  ),
  CLI_USER_NOT_FOUND: defineError(
    "TRUSS_ERR_AUTH_CLI_USER_NOT_FOUND",
    (p: { email: string }) =>
      `No user has the email ${p.email}. Check it, or create one with truss createsuperuser.`,
    404,
  ),
} as const
