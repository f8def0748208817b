import { createHmac, timingSafeEqual } from "node:crypto"
import { sessionErrors } from "./errors.js"

const MIN_SECRET = 32

/**
 * Signs cookie payloads with HMAC-SHA256: the newest secret signs, every secret
 * verifies (rotation). The signature is bound to the cookie name, so a value signed
 * for one cookie is refused under another. @internal
 */
export class Signer {
  readonly #secrets: readonly string[]
  readonly #salt: string

  constructor(secrets: readonly string[], salt: string) {
    if (secrets.length === 0) throw sessionErrors.SECRET_MISSING()
    for (const s of secrets) {
      if (typeof s !== "string" || s.length < MIN_SECRET) {
        throw sessionErrors.SECRET_WEAK({ length: typeof s === "string" ? s.length : 0 })
      }
    }
    this.#secrets = secrets
    this.#salt = salt
  }

  /** `payload.signature`, signed with the newest secret. */
  sign(payload: string): string {
    return `${payload}.${this.#mac(this.#secrets[0]!, payload)}`
  }

  /** The payload when some secret's signature matches, else undefined. */
  unsign(value: string): string | undefined {
    const dot = value.lastIndexOf(".")
    if (dot <= 0) return undefined
    const payload = value.slice(0, dot)
    const given = Buffer.from(value.slice(dot + 1), "base64url")
    for (const secret of this.#secrets) {
      const expected = Buffer.from(this.#mac(secret, payload), "base64url")
      if (given.length === expected.length && timingSafeEqual(given, expected)) return payload
    }
    return undefined
  }

  #mac(secret: string, payload: string): string {
    return createHmac("sha256", secret)
      .update(this.#salt)
      .update("\0")
      .update(payload)
      .digest("base64url")
  }
}
