import { createHash, randomBytes } from "node:crypto"
import type { Executor, Row } from "../../orm/index.js"
import { tokenErrors } from "./errors.js"
import { AccessToken } from "./model.js"

/**
 * A stored personal access token row.
 * @example
 * ```ts
 * import type { AccessTokenRow } from "truss/auth"
 * const label = (t: AccessTokenRow) => `${t.name} (${t.prefix}…)`
 * ```
 */
export type AccessTokenRow = Row<typeof AccessToken>

const PREFIX = "trs_"

/**
 * The sha256 of a token, as stored.
 * @example
 * ```ts
 * import { hashToken } from "truss/auth"
 * hashToken("trs_abc").length // 64 hex characters
 * ```
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex")
}

/**
 * Options of {@link createAccessToken}.
 * @example
 * ```ts
 * import type { CreateTokenOptions } from "truss/auth"
 * const options: CreateTokenOptions = { userId: 1, name: "ci", scopes: ["read"], ttl: 86_400 }
 * ```
 */
export interface CreateTokenOptions {
  readonly userId: string | number
  readonly name: string
  readonly scopes?: readonly string[]
  /** Lifetime in seconds; omit for a token that does not expire. */
  readonly ttl?: number
}

/**
 * Creates a personal access token: returns the secret (show it once) and the stored row.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { createAccessToken } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * const { token } = await createAccessToken(db, { userId: 1, name: "ci", scopes: ["read"], ttl: 86400 })
 * ```
 */
export async function createAccessToken(
  db: Executor,
  options: CreateTokenOptions,
): Promise<{ token: string; row: AccessTokenRow }> {
  const token = PREFIX + randomBytes(32).toString("base64url")
  const row = await db.query(AccessToken).create({
    userId: String(options.userId),
    name: options.name,
    prefix: token.slice(0, 12),
    hash: hashToken(token),
    scopes: [...(options.scopes ?? [])],
    expiresAt: options.ttl === undefined ? null : new Date(Date.now() + options.ttl * 1000),
    lastUsedAt: null,
    revokedAt: null,
  })
  return { token, row }
}

/**
 * Finds the live token for a secret and stamps its last-used time.
 * @throws 401 TRUSS_ERR_AUTH_TOKEN_INVALID for an unknown, revoked or expired token.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { authenticateAccessToken } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * // const row = await authenticateAccessToken(db, "trs_...")
 * ```
 */
export async function authenticateAccessToken(
  db: Executor,
  token: string,
  now = new Date(),
): Promise<AccessTokenRow> {
  if (!token.startsWith(PREFIX)) throw tokenErrors.TOKEN_INVALID()
  const row = await db
    .query(AccessToken)
    .filter({ hash: hashToken(token) })
    .first()
  if (row === undefined || row.revokedAt !== null) throw tokenErrors.TOKEN_INVALID()
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime())
    throw tokenErrors.TOKEN_INVALID()
  await db.query(AccessToken).filter({ id: row.id }).update({ lastUsedAt: now })
  return { ...row, lastUsedAt: now }
}

/**
 * Revokes a token by id (for the user's token list page). Returns whether one was revoked.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { revokeAccessToken } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * await revokeAccessToken(db, 1)
 * ```
 */
export async function revokeAccessToken(db: Executor, id: number): Promise<boolean> {
  return (
    (await db
      .query(AccessToken)
      .filter({ id, revokedAt: null })
      .update({ revokedAt: new Date() })) === 1
  )
}
