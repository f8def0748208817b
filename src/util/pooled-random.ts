import { randomFillSync } from "node:crypto"

// Random bytes come from a pooled buffer, one getrandom call per 4 KiB (256 CSP nonces),
// each taken with one native encode into a flat string. Same CSPRNG as randomBytes().
const POOL = Buffer.allocUnsafe(4096)
let offset = POOL.length

/**
 * `bytes` (≤ 4096) fresh random bytes from the CSPRNG, encoded as one flat string.
 * @internal
 */
export function randomString(bytes: number, encoding: "hex" | "base64" | "base64url"): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL)
    offset = 0
  }
  const text = POOL.toString(encoding, offset, offset + bytes)
  offset += bytes
  return text
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))
let idPrefix = ""
let idCount = 256

/**
 * A new request id: 32 lower-case hex digits (a W3C trace-id's form). Each batch of 256
 * shares 120 random bits and counts up in the last byte: unique as far as 120 random
 * bits go, at ~10 ns an id instead of ~100 ns for 16 fresh random bytes (a getrandom
 * share and a hex encoding per request). Request ids correlate logs; they are not
 * secrets, and nothing uses them as one (nonces and tokens take {@link randomString}).
 * @internal
 */
export function newRequestId(): string {
  if (idCount === 256) {
    idPrefix = randomString(15, "hex")
    idCount = 0
  }
  return idPrefix + HEX_PAIRS[idCount++]!
}
