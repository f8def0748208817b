import { field, model } from "../../orm/index.js"

/**
 * A personal access token, stored as the sha256 of the secret (never the secret itself).
 * Add it to the models your migrations cover.
 * @example
 * ```ts
 * import { AccessToken } from "truss/auth"
 * AccessToken.meta.table // "auth_access_token"
 * ```
 */
export const AccessToken = model(
  "authAccessToken",
  {
    userId: field.string({ max: 64 }),
    name: field.string({ max: 100 }),
    /** The first characters of the token, to tell tokens apart in a list. */
    prefix: field.string({ max: 16 }),
    hash: field.string({ max: 64, unique: true }),
    scopes: field.json(),
    createdAt: field.datetime({ default: "now" }),
    expiresAt: field.datetime({ null: true }),
    lastUsedAt: field.datetime({ null: true }),
    revokedAt: field.datetime({ null: true }),
  },
  { table: "auth_access_token" },
)
