/**
 * Password validators, like Django's `AUTH_PASSWORD_VALIDATORS`: each returns a coded
 * message or nothing. `validatePassword()` runs them all and throws one 422 listing
 * every reason.
 * @module
 */
import { readFileSync } from "node:fs"
import { gunzipSync } from "node:zlib"
import { authErrors } from "./errors.js"

/**
 * Who the password is for, so it can be compared with their email and username.
 * @example
 * ```ts
 * import type { PasswordOwner } from "truss/auth"
 * const owner: PasswordOwner = { email: "ann@example.com", username: "ann" }
 * ```
 */
export interface PasswordOwner {
  email?: string | undefined
  username?: string | null | undefined
}

/**
 * One reason a password is refused.
 * @example
 * ```ts
 * import type { PasswordProblem } from "truss/auth"
 * const problem: PasswordProblem = { code: "password_too_short", message: "It must have at least 8 characters." }
 * ```
 */
export interface PasswordProblem {
  readonly code: string
  readonly message: string
}

/**
 * Checks a password; returns a problem, or undefined when it passes.
 * @example
 * ```ts
 * import type { PasswordValidator } from "truss/auth"
 * const noSpaces: PasswordValidator = (pw) =>
 *   pw.includes(" ") ? { code: "password_has_space", message: "Leave out spaces." } : undefined
 * ```
 */
export type PasswordValidator = (
  password: string,
  owner: PasswordOwner,
) => PasswordProblem | undefined

/**
 * Refuses passwords shorter than `min` characters (code `password_too_short`).
 * @example
 * ```ts
 * import { minimumLength } from "truss/auth"
 * minimumLength(12)("short", {})?.code // "password_too_short"
 * ```
 */
export function minimumLength(min = 8): PasswordValidator {
  return (password) =>
    [...password].length < min
      ? { code: "password_too_short", message: `It must have at least ${min} characters.` }
      : undefined
}

let common: ReadonlySet<string> | undefined
/** The 20,000 most common passwords (from zxcvbn-ts's list, MIT), loaded once. */
function commonPasswords(): ReadonlySet<string> {
  const file = new URL("./common-passwords.txt.gz", import.meta.url)
  common ??= new Set(gunzipSync(readFileSync(file)).toString("utf8").split("\n"))
  return common
}

/**
 * Refuses the 20,000 most common passwords, case-insensitively (code
 * `password_too_common`).
 * @example
 * ```ts
 * import { notCommon } from "truss/auth"
 * notCommon()("Password1", {})?.code // "password_too_common"
 * ```
 */
export function notCommon(): PasswordValidator {
  return (password) =>
    commonPasswords().has(password.trim().toLowerCase())
      ? { code: "password_too_common", message: "It is too common." }
      : undefined
}

/** How alike two strings are, 0 to 1 (Ratcliff/Obershelp, as Python's difflib). */
function similarity(a: string, b: string): number {
  if (a.length + b.length === 0) return 1
  const matches = (x: string, y: string): number => {
    let best = 0
    let bi = 0
    let bj = 0
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < y.length; j++) {
        let k = 0
        while (i + k < x.length && j + k < y.length && x[i + k] === y[j + k]) k++
        if (k > best) [best, bi, bj] = [k, i, j]
      }
    }
    if (best === 0) return 0
    return (
      best +
      matches(x.slice(0, bi), y.slice(0, bj)) +
      matches(x.slice(bi + best), y.slice(bj + best))
    )
  }
  return (2 * matches(a, b)) / (a.length + b.length)
}

/**
 * Refuses a password too similar to the owner's email (and its local part) or
 * username (code `password_too_similar`). `maxSimilarity` is 0.7 as in Django.
 * @example
 * ```ts
 * import { notSimilarToUser } from "truss/auth"
 * notSimilarToUser()("ann.smith1", { email: "ann.smith@example.com" })?.code // "password_too_similar"
 * ```
 */
export function notSimilarToUser(maxSimilarity = 0.7): PasswordValidator {
  return (password, owner) => {
    const lower = password.toLowerCase()
    const email = owner.email?.toLowerCase()
    const values = [email, email?.split("@")[0], owner.username?.toLowerCase()]
    for (const value of values) {
      if (!value) continue
      if (similarity(lower, value) >= maxSimilarity || (value.length >= 4 && lower.includes(value)))
        return {
          code: "password_too_similar",
          message: "It is too similar to your email or username.",
        }
    }
    return undefined
  }
}

/**
 * Refuses passwords made only of digits (code `password_entirely_numeric`).
 * @example
 * ```ts
 * import { notNumeric } from "truss/auth"
 * notNumeric()("12345678901", {})?.code // "password_entirely_numeric"
 * ```
 */
export function notNumeric(): PasswordValidator {
  return (password) =>
    /^\d+$/.test(password)
      ? { code: "password_entirely_numeric", message: "It cannot be entirely numeric." }
      : undefined
}

/**
 * Django's four default validators: at least 8 characters, not common, not like the
 * email or username, not all digits.
 * @example
 * ```ts
 * import { defaultPasswordValidators } from "truss/auth"
 * defaultPasswordValidators().length // 4
 * ```
 */
export function defaultPasswordValidators(): PasswordValidator[] {
  return [notSimilarToUser(), minimumLength(8), notCommon(), notNumeric()]
}

/**
 * Every problem `validators` find with `password`.
 * @example
 * ```ts
 * import { passwordProblems } from "truss/auth"
 * passwordProblems("123", {}).map((p) => p.code)
 * // ["password_too_short", "password_too_common", "password_entirely_numeric"]
 * ```
 */
export function passwordProblems(
  password: string,
  owner: PasswordOwner,
  validators: readonly PasswordValidator[] = defaultPasswordValidators(),
): PasswordProblem[] {
  return validators.flatMap((v) => v(password, owner) ?? [])
}

/**
 * Throws `TRUSS_ERR_AUTH_PASSWORD_INVALID` (422, with `extensions.errors`) when any
 * validator refuses the password.
 * @example
 * ```ts
 * import { validatePassword } from "truss/auth"
 * validatePassword("correct horse battery staple", { email: "ann@example.com" }) // passes
 * ```
 */
export function validatePassword(
  password: string,
  owner: PasswordOwner,
  validators?: readonly PasswordValidator[],
): void {
  const problems = passwordProblems(password, owner, validators)
  if (problems.length === 0) return
  throw authErrors.PASSWORD_INVALID(
    { reasons: problems.map((p) => p.message).join(" ") },
    { extensions: { errors: problems.map((p) => ({ field: "password", ...p })) } },
  )
}
