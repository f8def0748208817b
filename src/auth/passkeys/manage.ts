import type { Executor } from "../../orm/index.js"
import { Passkey, type PasskeyRow } from "./model.js"

/**
 * A user's passkeys, oldest first (for a settings page).
 * @example
 * ```ts
 * import { listPasskeys } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * // (await listPasskeys(db, user.id)).map((p) => p.name)
 * ```
 */
export function listPasskeys(db: Executor, userId: string | number): Promise<PasskeyRow[]> {
  return db
    .query(Passkey)
    .filter({ userId: String(userId) })
    .orderBy("id")
    .all()
}

/**
 * Removes one of a user's passkeys by credential id; another user's is left alone.
 * Guard the route with a recent sign-in (`assertRecentLogin`). Returns whether it existed.
 * @example
 * ```ts
 * import { deletePasskey } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * // await deletePasskey(db, user.id, credentialId)
 * ```
 */
export async function deletePasskey(
  db: Executor,
  userId: string | number,
  credentialId: string,
): Promise<boolean> {
  const removed = await db
    .query(Passkey)
    .filter({ userId: String(userId), credentialId })
    .delete()
  return removed > 0
}
