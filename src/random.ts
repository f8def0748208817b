import { randomFillSync } from "node:crypto"

// Random bytes come from a pooled buffer: one getrandom call per 4 KiB (256 request
// ids), where crypto.randomUUID() formats its id from 20 string pieces. Same CSPRNG.
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
