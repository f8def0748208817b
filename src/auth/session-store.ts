/**
 * A database session store that knows its user: each row carries the logged-in user's
 * id as a foreign key, so `auth()` gets the user from the session's own query (one
 * round trip per request for both), and a user's sessions can be listed or ended.
 * @module
 */
import type { Database } from "../orm/index.js"
import { field, model } from "../orm/index.js"
import type { SessionRecord, SessionStore } from "../sessions/index.js"
import { SESSION_USER_KEY } from "./login.js"
import { User } from "./models.js"
import type { AuthUser } from "./user-model.js"

/**
 * A session row (`auth_session`): its key, JSON data, expiry and user.
 * @example
 * ```ts
 * import { authModels, AuthSession } from "truss/auth"
 * const models = [...authModels, AuthSession] // when using authSessionStore()
 * ```
 */
export const AuthSession = model(
  "authSession",
  {
    key: field.string({ max: 64, unique: true }),
    data: field.text(),
    expires: field.bigint({ index: true }),
    user: field.foreignKey(() => User, { null: true, onDelete: "cascade" }),
  },
  { table: "auth_session", app: "auth", label: "session" },
)

/** The users read with their sessions, until `auth()` takes them (bounded). */
const joined = new Map<string, AuthUser | null>()
const MAX_JOINED = 10_000

/** The user a session's read found, once (`null`: none or logged out). @internal */
export function takeJoinedUser(key: string): AuthUser | null | undefined {
  const user = joined.get(key)
  if (user !== undefined) joined.delete(key)
  return user
}

/**
 * Options of {@link authSessionStore}.
 * @example
 * ```ts
 * import type { AuthSessionStoreOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const options: AuthSessionStoreOptions = { db: await connect("sqlite::memory:") }
 * ```
 */
export interface AuthSessionStoreOptions {
  /** The database holding `auth_session` and the users. */
  db: Database
}

/**
 * Sessions in `auth_session`, read with their user in one query (a LEFT JOIN), which
 * `auth()` uses instead of loading the user again. Add {@link AuthSession} to your
 * migrated models.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { auth, authSessionStore } from "truss/auth"
 * import { connect } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const app = new App().use(
 *   sessions({ secret: "a-32-character-secret-for-tests!!", store: authSessionStore({ db }) }),
 *   auth({ db }),
 * )
 * ```
 */
export function authSessionStore(options: AuthSessionStoreOptions): SessionStore {
  const { db } = options
  const rows = () => db.query(AuthSession)
  return {
    async read(key) {
      const row = await rows().filter({ key }).selectRelated("user").first()
      if (row === undefined || Number(row.expires) <= Date.now()) return undefined
      if (joined.size >= MAX_JOINED) joined.clear()
      joined.set(key, (row.user as AuthUser | null) ?? null)
      return JSON.parse(row.data) as SessionRecord
    },
    async write(key, record, ttlMs) {
      const id = record.data[SESSION_USER_KEY]
      const userId = typeof id === "string" && /^\d+$/.test(id) ? Number(id) : null
      const values = {
        data: JSON.stringify(record),
        expires: BigInt(Date.now() + Math.ceil(ttlMs)),
        userId,
      }
      await rows().upsert(
        { key, ...values },
        { conflict: ["key"], update: ["data", "expires", "userId"] },
      )
    },
    async destroy(key) {
      joined.delete(key)
      await rows().filter({ key }).delete()
    },
  }
}

/**
 * Ends every session of a user kept by {@link authSessionStore} ("log out everywhere"),
 * except `keep` (a session key). Returns how many ended.
 * @example
 * ```ts
 * import { endUserSessions } from "truss/auth"
 * // await endUserSessions(db, user.id, c.session.id)
 * ```
 */
export async function endUserSessions(
  db: Database,
  userId: number,
  keep?: string,
): Promise<number> {
  const mine = db.query(AuthSession).filter({ userId })
  return (keep === undefined ? mine : mine.exclude({ key: keep })).delete()
}
