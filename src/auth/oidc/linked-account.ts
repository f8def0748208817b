import { type Executor, field, model } from "../../orm/index.js"
import type { OidcIdentity } from "./provider.js"

/**
 * A provider account linked to a user: one row per (provider, subject), several per user.
 * Add it to your migrations.
 * @example
 * ```ts
 * import { LinkedAccount } from "truss/auth"
 * LinkedAccount.meta.table // "auth_linked_account"
 * ```
 */
export const LinkedAccount = model(
  "authLinkedAccount",
  {
    userId: field.string({ max: 64 }),
    provider: field.string({ max: 50 }),
    subject: field.string({ max: 255 }),
    email: field.string({ max: 254, null: true }),
    linkedAt: field.datetime({ default: "now" }),
  },
  {
    table: "auth_linked_account",
    constraints: [
      {
        type: "unique",
        name: "auth_linked_account_provider_subject",
        fields: ["provider", "subject"],
      },
    ],
  },
)

/**
 * How {@link linkIdentity} finds and makes users; the user model is the app's.
 * @example
 * ```ts
 * import type { LinkUsers } from "truss/auth"
 * const users: LinkUsers = { findByEmail: async (email) => (email === "ann@example.com" ? 1 : undefined) }
 * ```
 */
export interface LinkUsers {
  /** The id of the user with this email (compared case-insensitively), if any. */
  findByEmail(email: string): Promise<string | number | undefined>
  /** Makes a user for a first-time sign-in; omit to refuse unknown identities. */
  create?(identity: OidcIdentity): Promise<string | number>
}

/**
 * Resolves a sign-in to a user: the account already linked, else the user with the same
 * email when the provider says it is verified (then linked), else a new user.
 * Returns undefined when no user may be found or made.
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { linkIdentity } from "truss/auth"
 * const db = await connect("sqlite::memory:")
 * // const userId = await linkIdentity(db, identity, { findByEmail: async (e) => undefined })
 * ```
 */
export async function linkIdentity(
  db: Executor,
  identity: OidcIdentity,
  users: LinkUsers,
): Promise<string | undefined> {
  const known = await db
    .query(LinkedAccount)
    .filter({ provider: identity.provider, subject: identity.subject })
    .first()
  if (known !== undefined) return known.userId
  // An unverified email could be anyone's: linking on it would hand over the account.
  let userId =
    identity.emailVerified && identity.email !== undefined
      ? await users.findByEmail(identity.email)
      : undefined
  if (userId === undefined && users.create !== undefined) userId = await users.create(identity)
  if (userId === undefined) return undefined
  await db.query(LinkedAccount).create({
    userId: String(userId),
    provider: identity.provider,
    subject: identity.subject,
    email: identity.email ?? null,
  })
  return String(userId)
}
