import { randomBytes, timingSafeEqual } from "node:crypto"

const SIZE = 32

/** A new per-session secret, base64url. @internal */
export function newCsrfSecret(): string {
  return randomBytes(SIZE).toString("base64url")
}

/**
 * The secret masked with a fresh one-time pad: `pad || (pad XOR secret)`, base64url.
 * Every response carries a different token, so compression (BREACH) cannot reveal
 * the secret byte by byte. @internal
 */
export function maskCsrfToken(secret: string): string {
  const raw = Buffer.from(secret, "base64url")
  const out = randomBytes(SIZE * 2)
  for (let i = 0; i < SIZE; i++) out[SIZE + i] = out[i]! ^ raw[i]!
  return out.toString("base64url")
}

/** True when `token` unmasks to `secret`; compared in constant time. @internal */
export function csrfTokenMatches(token: string, secret: string): boolean {
  const raw = Buffer.from(secret, "base64url")
  const masked = Buffer.from(token, "base64url")
  if (raw.length !== SIZE || masked.length !== SIZE * 2) return false
  const unmasked = Buffer.allocUnsafe(SIZE)
  for (let i = 0; i < SIZE; i++) unmasked[i] = masked[i]! ^ masked[SIZE + i]!
  return timingSafeEqual(unmasked, raw)
}
