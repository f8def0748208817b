/**
 * Password hashing: argon2id (OWASP: 19 MiB, t=2, p=1) as PHC strings, verification of
 * scrypt PHC strings and Django `pbkdf2_sha256$` hashes, and `needsRehash` so a login
 * upgrades a hash made with other parameters or another algorithm.
 * @module
 */
import { pbkdf2Sync, randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { promisify } from "node:util"
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2"

const scryptAsync = promisify(scrypt) as (
  p: string,
  s: Buffer,
  n: number,
  o: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/**
 * The argon2id parameters new hashes get.
 * @example
 * ```ts
 * import { ARGON2 } from "truss/auth"
 * ARGON2.memoryCost // 19456 KiB (19 MiB), as OWASP recommends
 * ```
 */
export const ARGON2 = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 })

/**
 * Hashes a password with argon2id into a PHC string.
 * @example
 * ```ts
 * import { hashPassword } from "truss/auth"
 * const hash = await hashPassword("a long passphrase") // "$argon2id$v=19$m=19456,t=2,p=1$..."
 * ```
 */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, { ...ARGON2, algorithm: 2 })
}

/**
 * Hashes with scrypt (node:crypto), the fallback: `$scrypt$ln=17,r=8,p=1$salt$hash`.
 * @example
 * ```ts
 * import { hashPasswordScrypt } from "truss/auth"
 * const hash = await hashPasswordScrypt("a long passphrase")
 * ```
 */
export async function hashPasswordScrypt(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, 32, {
    N: 2 ** 17,
    r: 8,
    p: 1,
    maxmem: 256 * 2 ** 20,
  })
  return `$scrypt$ln=17,r=8,p=1$${salt.toString("base64url")}$${key.toString("base64url")}`
}

/**
 * Checks a password against any supported hash; false for an unknown format.
 * @example
 * ```ts
 * import { hashPassword, verifyPassword } from "truss/auth"
 * await verifyPassword(await hashPassword("pw pw pw pw"), "pw pw pw pw") // true
 * ```
 */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    if (encoded.startsWith("$argon2")) return await argonVerify(encoded, password)
    if (encoded.startsWith("$scrypt$")) return await verifyScrypt(encoded, password)
    if (encoded.startsWith("pbkdf2_sha256$")) return verifyDjango(encoded, password)
  } catch {
    return false
  }
  return false
}

/**
 * True when `encoded` is not argon2id with the current parameters.
 * @example
 * ```ts
 * import { needsRehash } from "truss/auth"
 * needsRehash("pbkdf2_sha256$870000$salt$hash") // true: upgraded at the next login
 * ```
 */
export function needsRehash(encoded: string): boolean {
  const p = ARGON2
  return !encoded.startsWith(`$argon2id$v=19$m=${p.memoryCost},t=${p.timeCost},p=${p.parallelism}$`)
}

// Runs for an unknown email so the answer takes as long as a wrong password.
const DUMMY = hashPassword("truss-dummy-password")
/**
 * Runs one argon2id verification against a dummy hash (unknown accounts).
 * @example
 * ```ts
 * import { dummyVerify } from "truss/auth"
 * await dummyVerify("whatever was typed") // takes as long as a real check
 * ```
 */
export async function dummyVerify(password: string): Promise<void> {
  await argonVerify(await DUMMY, password)
}

async function verifyScrypt(encoded: string, password: string): Promise<boolean> {
  const [, , params = "", salt = "", hash = ""] = encoded.split("$")
  const m = /^ln=(\d+),r=(\d+),p=(\d+)$/.exec(params)
  if (m === null) return false
  const expected = Buffer.from(hash, "base64url")
  const opts = { N: 2 ** Number(m[1]), r: Number(m[2]), p: Number(m[3]), maxmem: 256 * 2 ** 20 }
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, opts)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

function verifyDjango(encoded: string, password: string): boolean {
  const [, iterations = "", salt = "", hash = ""] = encoded.split("$")
  const expected = Buffer.from(hash, "base64")
  const key = pbkdf2Sync(password, salt, Number(iterations), expected.length, "sha256")
  return expected.length > 0 && key.length === expected.length && timingSafeEqual(key, expected)
}
