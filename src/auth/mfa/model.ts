import { field, model, type Row } from "../../orm/index.js"

/**
 * A confirmed TOTP authenticator of a user (`auth_totp_device`, one per user), with the
 * hashes of the user's recovery codes. `userId` is a plain column, like the other auth
 * models. Add it to the models your migrations cover.
 * @example
 * ```ts
 * import { TotpDeviceModel } from "truss/auth"
 * TotpDeviceModel.meta.table // "auth_totp_device"
 * ```
 */
export const TotpDeviceModel = model(
  "authTotpDevice",
  {
    userId: field.string({ max: 64, unique: true }),
    /** The base32 secret. */
    secret: field.string({ max: 64 }),
    /** The time step of the last accepted code (replay protection). */
    lastStep: field.bigint({ default: 0n }),
    /** The sha256 of each unused recovery code. */
    recoveryHashes: field.json<string[]>(),
    /** Bumped on every use: updates are conditional on it, so one code cannot count twice. */
    version: field.integer({ default: 0 }),
    createdAt: field.datetime({ default: "now" }),
    lastUsedAt: field.datetime({ null: true }),
  },
  { table: "auth_totp_device" },
)

/**
 * A stored TOTP device row.
 * @example
 * ```ts
 * import type { TotpDeviceRow } from "truss/auth"
 * const codesLeft = (d: TotpDeviceRow) => d.recoveryHashes.length
 * ```
 */
export type TotpDeviceRow = Row<typeof TotpDeviceModel>
