/**
 * Authenticating a user by email and password, and logging a user in and out of the
 * session: `login` rotates the session id (no fixation) and stores a hash of the
 * password hash, so a changed password or a disabled user ends the other sessions.
 * @module
 */
import { createHash } from "node:crypto"
import { type Context, SLOTS } from "../kit.js"
import type { Database, Executor } from "../orm/index.js"
import { markAuthenticated } from "./mfa/step-up.js"
import { normalizeEmail, User, type UserRow } from "./models.js"
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "./passwords.js"
import type { AuthUser, UserModel } from "./user-model.js"

/**
 * The session key holding the logged-in user's id.
 * @example
 * ```ts
 * import { SESSION_USER_KEY } from "truss/auth"
 * SESSION_USER_KEY // "_auth_user_id"
 * ```
 */
export const SESSION_USER_KEY = "_auth_user_id"
/**
 * The session key holding the session auth hash.
 * @example
 * ```ts
 * import { SESSION_HASH_KEY } from "truss/auth"
 * SESSION_HASH_KEY // "_auth_user_hash"
 * ```
 */
export const SESSION_HASH_KEY = "_auth_user_hash"

/**
 * Which user model to use (a `defineUserModel()` one); the default `User` otherwise.
 * @example
 * ```ts
 * import { type UserModelOption, defineUserModel } from "truss/auth"
 * import { field } from "truss/orm"
 * const options: UserModelOption = { model: defineUserModel({ nickname: field.string({ max: 40, default: "" }) }) }
 * ```
 */
export interface UserModelOption {
  model?: UserModel
}

/** The loose view of a session auth needs (its keys are not in `SessionData`). */
interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
  regenerate(): Promise<void>
  destroy(): Promise<void>
}
const raw = (c: Context) => c.session as unknown as RawSession

/**
 * Finds the active user with this email and password, or undefined. An unknown email
 * still runs one hash verification; a hash with old parameters is upgraded.
 * @example
 * ```ts
 * import { authenticate } from "truss/auth"
 * // const user = await authenticate(db, "ann@example.com", "a long passphrase")
 * ```
 */
export async function authenticate(
  db: Executor,
  email: string,
  password: string,
  options: UserModelOption = {},
): Promise<AuthUser | undefined> {
  const model = options.model ?? User
  const user = (await db
    .query(model)
    .filter({ email: normalizeEmail(email) })
    .first()) as AuthUser | undefined
  if (user === undefined || user.password === "") {
    await dummyVerify(password)
    return undefined
  }
  if (!(await verifyPassword(user.password, password))) return undefined
  if (!user.isActive) return undefined
  if (needsRehash(user.password)) {
    user.password = await hashPassword(password)
    await db.query(model).filter({ id: user.id }).update({ password: user.password })
  }
  return user
}

/**
 * The hash tying a session to the user's current password hash.
 * @example
 * ```ts
 * import { sessionAuthHash } from "truss/auth"
 * sessionAuthHash({ password: "$argon2id$..." }).length // 64
 * ```
 */
export function sessionAuthHash(user: Pick<UserRow, "password">): string {
  return createHash("sha256").update(`truss.auth:${user.password}`).digest("hex")
}

/**
 * Logs `user` in: rotates the session id, stores the user id and auth hash, records
 * the time for step-up checks, and (under `auth()`) sets `c.user` and `lastLogin`.
 * @example
 * ```ts
 * import { authenticate, login } from "truss/auth"
 * // const user = await authenticate(db, email, password)
 * // if (user) await login(c, user)
 * ```
 */
export async function login(c: Context, user: AuthUser): Promise<void> {
  const session = raw(c)
  await session.regenerate()
  session.set(SESSION_USER_KEY, String(user.id))
  session.set(SESSION_HASH_KEY, sessionAuthHash(user))
  markAuthenticated(c)
  const state = c[SLOTS]?.auth
  if (state === undefined) return
  state.user = user
  state.permissions = undefined
  state.loaded = undefined
  user.lastLogin = new Date()
  await state.db.query(state.model).filter({ id: user.id }).update({ lastLogin: user.lastLogin })
}

/**
 * Logs out: flushes the session (a new id, no values) and clears `c.user`.
 * @example
 * ```ts
 * import { logout } from "truss/auth"
 * // app.post("/logout", async (c) => { await logout(c); return c.redirect("/", 303) })
 * ```
 */
export async function logout(c: Context): Promise<void> {
  await raw(c).destroy()
  const state = c[SLOTS]?.auth
  if (state !== undefined) {
    state.user = undefined
    state.permissions = undefined
    state.loaded = undefined
  }
}

/**
 * Loads the session's user, or undefined when logged out, disabled or re-passworded.
 * @example
 * ```ts
 * import { userFromSession } from "truss/auth"
 * // const user = await userFromSession(c, db)
 * ```
 */
export async function userFromSession(
  c: Context,
  db: Executor,
  options: UserModelOption = {},
): Promise<AuthUser | undefined> {
  const session = raw(c)
  const id = session.get(SESSION_USER_KEY)
  if (typeof id !== "string" || !/^\d+$/.test(id)) return undefined
  const user = (await db
    .query(options.model ?? User)
    .filter({ id: Number(id) })
    .first()) as AuthUser | undefined
  return user === undefined ? undefined : checkedUser(c, user)
}

/** `user` when the session is still theirs: active, and the password unchanged. @internal */
export function checkedUser(c: Context, user: AuthUser): AuthUser | undefined {
  const session = raw(c)
  if (String(user.id) !== session.get(SESSION_USER_KEY)) return undefined
  if (!user.isActive || session.get(SESSION_HASH_KEY) !== sessionAuthHash(user)) return undefined
  return user
}

/**
 * Sets a new password: hashes it, saves it, and ends the user's other sessions (their
 * auth hash no longer matches). Pass `c` to keep the current session logged in.
 * @example
 * ```ts
 * import { changePassword } from "truss/auth"
 * // await changePassword(db, c.user!, "a new long passphrase", c)
 * ```
 */
export async function changePassword(
  db: Executor,
  user: AuthUser,
  password: string,
  c?: Context,
  options: UserModelOption = {},
): Promise<void> {
  user.password = await hashPassword(password)
  await db
    .query(options.model ?? User)
    .filter({ id: user.id })
    .update({ password: user.password })
  if (c !== undefined) raw(c).set(SESSION_HASH_KEY, sessionAuthHash(user))
}

/**
 * Creates a user with a normalized email and an argon2id password hash (an empty
 * password makes a user who cannot log in with one, e.g. OIDC-only).
 * @example
 * ```ts
 * import { createUser } from "truss/auth"
 * // const ann = await createUser(db, { email: "ann@example.com", password: "a long passphrase" })
 * ```
 */
export async function createUser(
  db: Executor,
  input: {
    email: string
    password: string
    username?: string
    isStaff?: boolean
    isSuperuser?: boolean
    emailVerified?: boolean
  },
  options: UserModelOption = {},
): Promise<AuthUser> {
  const { password, email, ...rest } = input
  return (await db.query(options.model ?? User).create({
    ...rest,
    email: normalizeEmail(email),
    password: password === "" ? "" : await hashPassword(password),
  } as never)) as AuthUser
}

/** What `auth()` keeps per request. @internal */
export interface AuthState {
  readonly db: Database
  readonly model: UserModel
  user: AuthUser | undefined
  permissions: Promise<ReadonlySet<string>> | undefined
  /** The codenames once loaded, for templates (which render synchronously). */
  loaded?: ReadonlySet<string> | undefined
}
