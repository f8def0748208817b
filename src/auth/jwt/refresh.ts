import { createHash, randomBytes } from "node:crypto"
import { type Executor, field, model } from "../../orm/index.js"
import { jwtErrors } from "./errors.js"

/**
 * A refresh token, stored as the sha256 of its secret. Every rotation adds a row to the
 * same `family`; a spent row presented again revokes the family. Add it to your migrations.
 * @example
 * ```ts
 * import { RefreshToken } from "truss/auth"
 * RefreshToken.meta.table // "auth_refresh_token"
 * ```
 */
export const RefreshToken = model(
  "authRefreshToken",
  {
    userId: field.string({ max: 64 }),
    family: field.string({ max: 32 }),
    hash: field.string({ max: 64, unique: true }),
    createdAt: field.datetime({ default: "now" }),
    expiresAt: field.datetime(),
    usedAt: field.datetime({ null: true }),
    revokedAt: field.datetime({ null: true }),
  },
  { table: "auth_refresh_token", indexes: [{ fields: ["family"] }] },
)

const hash = (token: string) => createHash("sha256").update(token).digest("hex")

async function insert(db: Executor, userId: string, family: string, ttl: number): Promise<string> {
  const token = `trr_${randomBytes(32).toString("base64url")}`
  await db.query(RefreshToken).create({
    userId,
    family,
    hash: hash(token),
    expiresAt: new Date(Date.now() + ttl * 1000),
    usedAt: null,
    revokedAt: null,
  })
  return token
}

/**
 * Starts a refresh-token family at sign-in and returns its first token.
 * @param ttl - Lifetime of each refresh token in seconds. @default 2592000 (30 days)
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { issueRefreshToken } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * // const refresh = await issueRefreshToken(db, user.id)
 * ```
 */
export function issueRefreshToken(
  db: Executor,
  userId: string | number,
  ttl = 2_592_000,
): Promise<string> {
  return insert(db, String(userId), randomBytes(12).toString("hex"), ttl)
}

/**
 * Spends a refresh token and returns its user and the next token of the family. A token
 * already spent revokes its whole family (a thief and the owner both must sign in again).
 * @throws 401 TRUSS_ERR_AUTH_JWT_REFRESH_INVALID, TRUSS_ERR_AUTH_JWT_REFRESH_REUSED.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { rotateRefreshToken } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * // const { userId, token } = await rotateRefreshToken(db, refresh)
 * ```
 */
export async function rotateRefreshToken(
  db: Executor,
  token: string,
  ttl = 2_592_000,
): Promise<{ userId: string; token: string }> {
  const row = await db
    .query(RefreshToken)
    .filter({ hash: hash(token) })
    .first()
  if (row === undefined || row.revokedAt !== null || row.expiresAt.getTime() <= Date.now()) {
    throw jwtErrors.JWT_REFRESH_INVALID()
  }
  // Conditional on usedAt still null: of two racing requests with one token, one loses.
  const spent =
    row.usedAt === null
      ? await db
          .query(RefreshToken)
          .filter({ id: row.id, usedAt: null })
          .update({ usedAt: new Date() })
      : 0
  if (spent !== 1) {
    await db
      .query(RefreshToken)
      .filter({ family: row.family, revokedAt: null })
      .update({ revokedAt: new Date() })
    throw jwtErrors.JWT_REFRESH_REUSED()
  }
  return { userId: row.userId, token: await insert(db, row.userId, row.family, ttl) }
}

/**
 * Revokes every refresh token of a user (logout everywhere, password change).
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { revokeRefreshTokens } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * await revokeRefreshTokens(db, 42)
 * ```
 */
export function revokeRefreshTokens(db: Executor, userId: string | number): Promise<number> {
  return db
    .query(RefreshToken)
    .filter({ userId: String(userId), revokedAt: null })
    .update({ revokedAt: new Date() })
}
