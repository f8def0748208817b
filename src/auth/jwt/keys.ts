import { createSecretKey, type KeyObject } from "node:crypto"

/**
 * A key as jose takes it: a WebCrypto key or a node KeyObject.
 * @example
 * ```ts
 * import { createSecretKey } from "node:crypto"
 * import type { JwtKeyMaterial } from "truss/auth"
 * const secret: JwtKeyMaterial = createSecretKey(Buffer.alloc(32, 7))
 * ```
 */
export type JwtKeyMaterial = CryptoKey | KeyObject

import {
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose"
import { jwtErrors } from "./errors.js"

/**
 * The algorithms Truss signs and accepts; `none` is never among them.
 * @example
 * ```ts
 * import type { JwtAlgorithm } from "truss/auth"
 * const alg: JwtAlgorithm = "EdDSA"
 * ```
 */
export type JwtAlgorithm = "EdDSA" | "ES256" | "HS256"

/**
 * One signing or verifying key.
 * @example
 * ```ts
 * import { generateJwtKey, type JwtKey } from "truss/auth"
 * const key: JwtKey = await generateJwtKey("2026-12", "EdDSA")
 * ```
 */
export interface JwtKey {
  /** The key id written into the header and looked up on verify. */
  readonly kid: string
  readonly alg: JwtAlgorithm
  /** The private (EdDSA, ES256) or secret (HS256) key. Omit to keep a retired key for verifying only. */
  readonly privateKey?: JwtKeyMaterial
  /** The public key (EdDSA, ES256) or the secret (HS256). */
  readonly publicKey: JwtKeyMaterial
}

/**
 * Options of {@link jwtKeys}.
 * @example
 * ```ts
 * import { generateJwtKey, type JwtOptions } from "truss/auth"
 * const options: JwtOptions = { keys: [await generateJwtKey("k1", "HS256")], ttl: 900 }
 * ```
 */
export interface JwtOptions {
  /** The keys; the first signs, all verify (rotation: put the new key first, keep the old). */
  readonly keys: readonly JwtKey[]
  /** The `iss` claim written and required. */
  readonly issuer?: string
  /** The `aud` claim written and required. */
  readonly audience?: string
  /** Seconds of clock skew allowed on exp and nbf. @default 30 */
  readonly clockSkew?: number
  /** Lifetime of issued access tokens in seconds. @default 900 */
  readonly ttl?: number
}

/**
 * A key set that signs and verifies JWTs and publishes its public JWKS.
 * @example
 * ```ts
 * import { generateJwtKey, type JwtKeySet, jwtKeys } from "truss/auth"
 * const keys: JwtKeySet = jwtKeys({ keys: [await generateJwtKey("k1", "ES256")], issuer: "https://api.example.com" })
 * ```
 */
export interface JwtKeySet {
  sign(claims: JWTPayload & { sub: string }, options?: { ttl?: number }): Promise<string>
  verify(token: string): Promise<JWTPayload & { sub: string }>
  /** The public keys as a JWKS (secrets of HS256 keys are never published). */
  jwks(): Promise<{ keys: JWK[] }>
}

/**
 * Makes a key for {@link jwtKeys}: a new key pair for EdDSA/ES256, or a secret for HS256.
 * @example
 * ```ts
 * import { generateJwtKey } from "truss/auth"
 * const key = await generateJwtKey("2026-12", "EdDSA")
 * ```
 */
export async function generateJwtKey(
  kid: string,
  alg: JwtAlgorithm,
  secret?: string,
): Promise<JwtKey> {
  if (alg === "HS256") {
    const key = createSecretKey(Buffer.from(secret ?? randomSecret()))
    return { kid, alg, privateKey: key, publicKey: key }
  }
  const pair = await generateKeyPair(alg, {
    crv: alg === "EdDSA" ? "Ed25519" : undefined,
    extractable: true,
  })
  return { kid, alg, privateKey: pair.privateKey, publicKey: pair.publicKey }
}

function randomSecret(): string {
  return crypto.getRandomValues(new Uint8Array(32)).join(".")
}

function mapError(err: unknown): Error {
  if (err instanceof joseErrors.JWTExpired) return jwtErrors.JWT_EXPIRED(undefined, { cause: err })
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return jwtErrors.JWT_NOT_YET_VALID(undefined, { cause: err })
    return jwtErrors.JWT_CLAIM_INVALID({ claim: err.claim }, { cause: err })
  }
  return jwtErrors.JWT_INVALID(undefined, { cause: err })
}

/**
 * A JWT key set: signs with the first key (its `kid` in the header), verifies with any
 * key by `kid`, refuses `none` and algorithms other than the key's, and checks exp/nbf
 * (with clock skew), iss and aud.
 * @throws 401 TRUSS_ERR_AUTH_JWT_INVALID, _EXPIRED, _NOT_YET_VALID, _CLAIM_INVALID on verify.
 * @example
 * ```ts
 * import { generateJwtKey, jwtKeys } from "truss/auth"
 * const jwt = jwtKeys({ keys: [await generateJwtKey("k1", "ES256")], issuer: "https://api.example.com", audience: "app" })
 * const token = await jwt.sign({ sub: "42" })
 * const claims = await jwt.verify(token) // { sub: "42", iss, aud, iat, exp }
 * ```
 */
export function jwtKeys(options: JwtOptions): JwtKeySet {
  const [signer] = options.keys
  if (signer === undefined || signer.privateKey === undefined) throw jwtErrors.JWT_NO_KEYS()
  const byKid = new Map(options.keys.map((k) => [k.kid, k]))
  const skew = options.clockSkew ?? 30
  const ttl = options.ttl ?? 900
  return {
    async sign(claims, o) {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: "JWT" })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (o?.ttl ?? ttl))
      if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer)
      if (options.audience !== undefined) jwt = jwt.setAudience(options.audience)
      return jwt.sign(signer.privateKey as JwtKeyMaterial)
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(
          token,
          (header) => {
            const key = header.kid === undefined ? undefined : byKid.get(header.kid)
            if (key === undefined || key.alg !== header.alg) throw jwtErrors.JWT_INVALID()
            return key.publicKey
          },
          {
            algorithms: ["EdDSA", "ES256", "HS256"],
            clockTolerance: skew,
            issuer: options.issuer,
            audience: options.audience,
            requiredClaims: ["exp", "sub"],
          },
        )
        return payload as JWTPayload & { sub: string }
      } catch (err) {
        throw mapError(err)
      }
    },
    async jwks() {
      const keys: JWK[] = []
      for (const k of options.keys) {
        if (k.alg === "HS256") continue
        keys.push({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: "sig" })
      }
      return { keys }
    },
  }
}
