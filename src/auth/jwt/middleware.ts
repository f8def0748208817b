import type { JWTPayload } from "jose"
import {
  type Context,
  extendContext,
  type Middleware,
  type Next,
  SLOTS,
  slotsOf,
} from "../../kit.js"
import { jwtErrors } from "./errors.js"
import type { JwtKeySet } from "./keys.js"

declare module "../../kit.js" {
  interface Slots {
    /** The verified claims of this request's bearer JWT, set by `jwtAuth()`. */
    jwtClaims?: JWTPayload & { sub: string }
  }
  interface Context {
    /** The verified bearer JWT claims, or undefined; needs `jwtAuth()` from truss/auth. */
    readonly jwtClaims: (JWTPayload & { sub: string }) | undefined
  }
}

extendContext("truss/auth/jwt", "jwtClaims", {
  get(this: Context) {
    return this[SLOTS]?.jwtClaims
  },
})

const BEARER = /^bearer\s+(\S+)$/i
const JWT_SHAPE = /^[\w-]*\.[\w-]*\.[\w-]*$/

/**
 * Options of {@link jwtAuth}.
 * @example
 * ```ts
 * import type { JwtAuthOptions } from "truss/auth"
 * const options: Partial<JwtAuthOptions> = { required: false }
 * ```
 */
export interface JwtAuthOptions {
  /** Serve the public keys at `/.well-known/jwks.json`. @default false */
  readonly jwks?: boolean
  /** Refuse requests without a bearer JWT (401). @default false */
  readonly required?: boolean
}

/**
 * Verifies `Authorization: Bearer <jwt>` and puts the claims at `c.jwtClaims`; a bad
 * token is a 401 problem+json with a TRUSS_ERR_AUTH_JWT_* code. Bearer tokens that are
 * not JWTs (personal access tokens) are left to `tokenAuth()`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { generateJwtKey, jwtAuth, jwtKeys } from "truss/auth"
 * const keys = jwtKeys({ keys: [await generateJwtKey("k1", "EdDSA")], audience: "api" })
 * const app = new App()
 * app.use(jwtAuth(keys, { jwks: true }))
 * app.get("/me", (c) => ({ sub: c.jwtClaims?.sub }))
 * ```
 */
export function jwtAuth(keys: JwtKeySet, options: JwtAuthOptions = {}): Middleware {
  return async function jwtAuth(c: Context, next: Next) {
    if (
      options.jwks === true &&
      c.req.method === "GET" &&
      c.req.path === "/.well-known/jwks.json"
    ) {
      c.json(await keys.jwks(), 200, { "cache-control": "public, max-age=300" })
      return
    }
    const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1]
    if (token !== undefined && JWT_SHAPE.test(token)) {
      const claims = await keys.verify(token)
      slotsOf(c).jwtClaims = claims
    } else if (options.required === true) {
      throw jwtErrors.JWT_INVALID()
    }
    await next()
  }
}
