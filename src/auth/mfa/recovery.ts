import { createHash, randomInt, timingSafeEqual } from "node:crypto"
import { mfaErrors } from "./errors.js"

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

function hashCode(code: string): string {
  return createHash("sha256").update(code.replaceAll("-", "").toLowerCase()).digest("hex")
}

/**
 * Makes ten recovery codes (`xxxxx-xxxxx`, 50 bits each): show `codes` once, store `hashes`.
 * @example
 * ```ts
 * import { recoveryCodes } from "truss/auth"
 * const { codes, hashes } = recoveryCodes()
 * codes.length // 10
 * ```
 */
export function recoveryCodes(count = 10): { codes: string[]; hashes: string[] } {
  const codes: string[] = []
  for (let i = 0; i < count; i++) {
    let raw = ""
    for (let j = 0; j < 10; j++) raw += ALPHABET[randomInt(ALPHABET.length)]
    codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`)
  }
  return { codes, hashes: codes.map(hashCode) }
}

/**
 * Spends a recovery code: returns the hashes left to store (the used one removed).
 * @throws 401 TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID for an unknown or spent code.
 * @example
 * ```ts
 * import { recoveryCodes, useRecoveryCode } from "truss/auth"
 * const { codes, hashes } = recoveryCodes()
 * const left = useRecoveryCode(hashes, codes[0] ?? "") // 9 hashes
 * ```
 */
export function useRecoveryCode(hashes: readonly string[], code: string): string[] {
  const wanted = Buffer.from(hashCode(code.trim()))
  let found = -1
  hashes.forEach((h, i) => {
    // Compare every hash in constant time so timing does not tell which one matched.
    if (h.length === wanted.length && timingSafeEqual(Buffer.from(h), wanted)) found = i
  })
  if (found === -1) throw mfaErrors.MFA_RECOVERY_INVALID()
  return hashes.filter((_, i) => i !== found)
}
