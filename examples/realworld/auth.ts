import { HttpError, type Middleware } from "truss"
import { generateJwtKey, type JwtKeySet, jwtKeys } from "truss/auth"

/** What the auth middleware leaves on the context. */
export type Vars = { userId: number | undefined; token: string | undefined }

/** A 401 in the spec's error format (rendered by the app's error handler). */
export const unauthorized = (why: string, cause?: unknown) =>
  new HttpError(401, why, { code: "CONDUIT_UNAUTHORIZED", cause })

/** HS256 keys from the app's secret; tokens last 30 days like the reference backends'. */
export async function conduitKeys(secret: string): Promise<JwtKeySet> {
  return jwtKeys({ keys: [await generateJwtKey("conduit", "HS256", secret)], ttl: 30 * 86400 })
}

// A header without a JWT (`Token null` from a signed-out front end, another scheme)
// counts as no token; a JWT that fails verification is a 401.
const JWT = /^(?:Token|Bearer)\s+([\w-]+\.[\w-]+\.[\w-]+)$/i

/** Reads `Authorization: Token <jwt>` (the spec's scheme; `Bearer` works too) when present. */
export function tokenAuth(keys: JwtKeySet): Middleware<Vars> {
  return async function tokenAuth(c, next) {
    const token = JWT.exec(c.req.header("authorization") ?? "")?.[1]
    if (token !== undefined) {
      const claims = await keys.verify(token).catch((err: unknown) => {
        throw unauthorized("The token is invalid or expired: sign in again", err)
      })
      c.set("userId", Number(claims.sub))
      c.set("token", token)
    }
    await next()
  }
}

/** Route middleware: refuses requests without a valid token (401 before any 422). */
export const required: Middleware<Vars> = async function required(c, next) {
  if (c.get("userId") === undefined)
    throw unauthorized("Sign in: this needs Authorization: Token <jwt>")
  await next()
}

/** The signed-in user's id; call only behind {@link required}. */
export function me(c: { get(key: "userId"): number | undefined }): number {
  const id = c.get("userId")
  if (id === undefined) throw unauthorized("Sign in first")
  return id
}
