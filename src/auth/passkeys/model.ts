import { field, model, type Row } from "../../orm/index.js"

/**
 * A WebAuthn credential (passkey) registered to a user (`auth_passkey`). `userId` is a
 * plain column, like the other auth models, so an app may swap its user model. Add it
 * to the models your migrations cover.
 * @example
 * ```ts
 * import { Passkey } from "truss/auth"
 * Passkey.meta.table // "auth_passkey"
 * ```
 */
export const Passkey = model(
  "authPasskey",
  {
    userId: field.string({ max: 64 }),
    /** The credential id, base64url. */
    credentialId: field.string({ max: 512, unique: true }),
    /** The COSE public key, base64url. */
    publicKey: field.text(),
    /** The signature counter; a value that does not grow means a cloned authenticator. */
    counter: field.bigint({ default: 0n }),
    /** e.g. ["internal", "hybrid"], as the browser reported them. */
    transports: field.json<string[]>(),
    /** "singleDevice" or "multiDevice" (synced). */
    deviceType: field.string({ max: 20 }),
    backedUp: field.boolean({ default: false }),
    name: field.string({ max: 100, default: "" }),
    createdAt: field.datetime({ default: "now" }),
    lastUsedAt: field.datetime({ null: true }),
  },
  { table: "auth_passkey" },
)

/**
 * A stored passkey row.
 * @example
 * ```ts
 * import type { PasskeyRow } from "truss/auth"
 * const label = (p: PasskeyRow) => p.name || p.credentialId.slice(0, 8)
 * ```
 */
export type PasskeyRow = Row<typeof Passkey>
