/**
 * Signed, expiring, single-use tokens for password-reset and email-verification links.
 * A token is `<user id>.<issued at>.<state tag>.<signature>`: the signature (HMAC-SHA256
 * with a key derived from the app secret and the purpose) proves the first three parts
 * were issued here; the state tag binds the token to what using it changes (the
 * password hash and last login for a reset, the email and its verified flag for a
 * verification), so once used it no longer matches, as in Django.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import type { AuthUser } from "../user-model.js"
import { authPageErrors } from "./errors.js"

/**
 * What a token is for; each has its own key.
 * @example
 * ```ts
 * import type { TokenPurpose } from "truss/auth"
 * const purpose: TokenPurpose = "password-reset"
 * ```
 */
export type TokenPurpose = "password-reset" | "verify-email"

/** What a token of each purpose is bound to: it stops matching once that changes. */
function stateOf(purpose: TokenPurpose, user: AuthUser): string {
  if (purpose === "verify-email") return `${user.email}\0${user.emailVerified ? 1 : 0}`
  // Whole seconds: some databases keep no milliseconds.
  const last = user.lastLogin ? Math.floor(user.lastLogin.getTime() / 1000) : ""
  return `${user.password}\0${last}`
}

function mac(key: Buffer, text: string, bytes: number): string {
  return createHmac("sha256", key).update(text).digest().subarray(0, bytes).toString("base64url")
}

/**
 * Signs and checks the tokens of one purpose; made by {@link tokenSigner}.
 * @example
 * ```ts
 * import { type TokenSigner, tokenSigner } from "truss/auth"
 * const verify: TokenSigner = tokenSigner("a-32-character-secret-for-tests!!", "verify-email", 86400)
 * ```
 */
export interface TokenSigner {
  /** A token for `user`, issued now (or at `now`, in ms). */
  make(user: AuthUser, now?: number): string
  /** The user id a well-formed, correctly signed, unexpired token names. */
  open(token: string, now?: number): number
  /** Whether the token still matches the user's state (not used yet). */
  matches(token: string, user: AuthUser): boolean
}

/**
 * A token signer for one purpose.
 * @param secret - The app secret (at least 32 characters).
 * @param maxAge - Seconds a token stays valid.
 * @throws TRUSS_ERR_AUTH_LINK_INVALID or TRUSS_ERR_AUTH_LINK_EXPIRED from `open()`.
 * @example
 * ```ts
 * import { tokenSigner } from "truss/auth"
 * const reset = tokenSigner("a-32-character-secret-for-tests!!", "password-reset", 3600)
 * // const token = reset.make(user); reset.open(token) === user.id
 * ```
 */
export function tokenSigner(secret: string, purpose: TokenPurpose, maxAge: number): TokenSigner {
  if (typeof secret !== "string" || secret.length < 32) throw authPageErrors.SECRET_REQUIRED()
  const key = createHmac("sha256", secret).update(`truss.auth.pages:${purpose}`).digest()
  const tag = (user: AuthUser, issued: string) =>
    mac(key, `state\0${user.id}\0${issued}\0${stateOf(purpose, user)}`, 16)
  const sign = (head: string) => mac(key, `sign\0${head}`, 32)
  return {
    make(user, now = Date.now()) {
      const issued = Math.floor(now / 1000).toString(36)
      const head = `${user.id.toString(36)}.${issued}.${tag(user, issued)}`
      return `${head}.${sign(head)}`
    },
    open(token, now = Date.now()) {
      const parts = token.split(".")
      if (parts.length !== 4 || !parts.every((p) => /^[\w-]+$/.test(p))) {
        throw authPageErrors.LINK_INVALID()
      }
      const head = parts.slice(0, 3).join(".")
      const given = Buffer.from(parts[3]!, "base64url")
      const want = Buffer.from(sign(head), "base64url")
      if (given.length !== want.length || !timingSafeEqual(given, want)) {
        throw authPageErrors.LINK_INVALID()
      }
      const issued = Number.parseInt(parts[1]!, 36)
      if (now / 1000 - issued > maxAge) throw authPageErrors.LINK_EXPIRED()
      return Number.parseInt(parts[0]!, 36)
    },
    matches(token, user) {
      const [, issued, given] = token.split(".")
      if (issued === undefined || given === undefined) return false
      const a = Buffer.from(given, "base64url")
      const b = Buffer.from(tag(user, issued), "base64url")
      return a.length === b.length && timingSafeEqual(a, b)
    },
  }
}
