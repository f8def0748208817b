/**
 * Authenticating a user by email and password, and logging a user in and out of the
 * session: `login` rotates the session id (no fixation) and stores a hash of the
 * password hash, so a changed password or a disabled user ends the other sessions.
 * @module
 */
import { createHash } from "node:crypto"
import type { Context } from "../kit.js"
import type { Database } from "../orm/index.js"
import { normalizeEmail, User, type UserRow } from "./models.js"
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "./passwords.js"

/** The session keys auth keeps. */
export const SESSION_USER_KEY = "_auth_user_id"
/** The session key holding the session auth hash. */
export const SESSION_HASH_KEY = "_auth_user_hash"

/**
 * Finds the active user with this email and password, or undefined. An unknown email
 * still runs one hash verification; a hash with old parameters is upgraded.
 */
export async function authenticate(
  db: Database,
  email: string,
  password: string,
): Promise<UserRow | undefined> {
  const user = await db
    .query(User)
    .filter({ email: normalizeEmail(email) })
    .first()
  if (user === undefined || user.password === "") {
    await dummyVerify(password)
    return undefined
  }
  if (!(await verifyPassword(user.password, password))) return undefined
  if (!user.isActive) return undefined
  if (needsRehash(user.password)) {
    user.password = await hashPassword(password)
    await db.query(User).filter({ id: user.id }).update({ password: user.password })
  }
  return user
}

/** The hash tying a session to the user's current password hash. */
export function sessionAuthHash(user: Pick<UserRow, "password">): string {
  return createHash("sha256").update(`truss.auth:${user.password}`).digest("hex")
}

/** Logs `user` in: rotates the session id, then stores the user id and auth hash. */
export async function login(c: Context, user: UserRow): Promise<void> {
  await c.session.regenerate()
  c.session.set(SESSION_USER_KEY as never, String(user.id) as never)
  c.session.set(SESSION_HASH_KEY as never, sessionAuthHash(user) as never)
}

/** Logs out: flushes the session (a new id, no values). */
export async function logout(c: Context): Promise<void> {
  await c.session.destroy()
}

/** Loads the session's user, or undefined when logged out, disabled or re-passworded. */
export async function userFromSession(c: Context, db: Database): Promise<UserRow | undefined> {
  const id = c.session.get(SESSION_USER_KEY as never) as string | undefined
  if (id === undefined) return undefined
  const user = await db
    .query(User)
    .filter({ id: BigInt(id) as never })
    .first()
  const hash = c.session.get(SESSION_HASH_KEY as never) as string | undefined
  if (user === undefined || !user.isActive || hash !== sessionAuthHash(user)) return undefined
  return user
}

/** Creates a user with a normalized email and an argon2id password hash. */
export async function createUser(
  db: Database,
  input: {
    email: string
    password: string
    username?: string
    isStaff?: boolean
    isSuperuser?: boolean
  },
): Promise<UserRow> {
  const { password, email, ...rest } = input
  return db.query(User).create({
    ...rest,
    email: normalizeEmail(email),
    password: await hashPassword(password),
  } as never)
}
