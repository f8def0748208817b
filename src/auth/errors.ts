/**
 * The coded errors of `truss/auth`.
 * @module
 */
import { defineError } from "../kit.js"

/** The errors `truss/auth` throws, by code. */
export const authErrors = {
  INVALID_CREDENTIALS: defineError(
    "TRUSS_ERR_AUTH_INVALID_CREDENTIALS",
    "The email or the password is wrong. Check both and try again.",
    401,
  ),
  USER_MODEL_REQUIRED: defineError(
    "TRUSS_ERR_AUTH_USER_MODEL_REQUIRED",
    "No database was given to auth. Pass `authenticate(db, email, password)` a connected Database.",
    500,
  ),
} as const
