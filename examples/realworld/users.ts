import { Blueprint, type Context, HttpError } from "truss"
import { hashPassword, type JwtKeySet, normalizeEmail, verifyPassword } from "truss/auth"
import type { Database, Row } from "truss/orm"
import { me, required, unauthorized, type Vars } from "./auth.js"
import { Follow, User } from "./models.js"
import { followed, profile } from "./present.js"
import { authed, ok, op } from "./routes.js"
import * as s from "./schemas.js"

const [U, P] = ["User and Authentication", "Profile"]
const login = op("Login", U, { body: s.LoginUserRequest, response: ok(s.UserResponse) })
const register = op("CreateUser", U, {
  body: s.NewUserRequest,
  response: { 201: s.UserResponse, ...s.errors },
})
const getUser = authed("GetCurrentUser", U, { response: ok(s.UserResponse) })
const putUser = authed("UpdateCurrentUser", U, {
  body: s.UpdateUserRequest,
  response: ok(s.UserResponse),
})
const show = op("GetProfileByUsername", P, { params: s.Username, response: ok(s.ProfileResponse) })
const follow = authed("FollowUserByUsername", P, {
  params: s.Username,
  response: ok(s.ProfileResponse),
})
const unfollow = authed("UnfollowUserByUsername", P, {
  params: s.Username,
  response: ok(s.ProfileResponse),
})
const EMAIL = /^[^\s@]+@[^\s@]+$/

/** Registration, login, the current user and profiles under `/api`. */
export function usersApi(db: Database, keys: JwtKeySet) {
  const present = async (
    { email, username, bio, image, id }: Row<typeof User>,
    token?: string,
  ) => ({
    user: { email, token: token ?? (await keys.sign({ sub: String(id) })), username, bio, image },
  })
  const current = async (c: Context<Vars>) =>
    c.json(await present(await db.query(User).get({ id: me(c) }), c.get("token")), 200)
  /** What to store: the email normalized and checked, a non-empty password hashed. */
  const stored = async <T extends { email?: string; password?: string }>({
    password,
    ...rest
  }: T) => {
    const email = rest.email === undefined ? undefined : normalizeEmail(rest.email)
    if (email !== undefined && !EMAIL.test(email)) throw new HttpError(422, "email is invalid")
    const fields = email === undefined ? rest : { ...rest, email }
    return password ? { ...fields, password: await hashPassword(password) } : fields
  }
  const byName = async (username: string) =>
    (await db.query(User).filter({ username }).first()) ??
    Promise.reject(new HttpError(404, "profile not found", { code: "CONDUIT_NOT_FOUND" }))
  const setFollow = async (c: Context<Vars>, username: string, on: boolean) => {
    const user = await byName(username)
    const pair = { followerId: me(c), followedId: user.id }
    await (on ? db.query(Follow).getOrCreate(pair, {}) : db.query(Follow).filter(pair).delete())
    return c.json({ profile: profile(user, on) }, 200)
  }

  return new Blueprint<Vars, "/api">({ prefix: "/api" })
    .post("/users/login", login, async (c) => {
      const { email, password } = c.valid("body").user
      const user = await db
        .query(User)
        .filter({ email: normalizeEmail(email) })
        .first()
      if (!user || !(await verifyPassword(user.password, password)))
        throw unauthorized("email or password is invalid")
      return c.json(await present(user), 200)
    })
    .post("/users", register, async (c) => {
      const fields = await stored(c.valid("body").user)
      return c.json(
        await present(await db.query(User).create(fields as typeof fields & { password: string })),
        201,
      )
    })
    .get("/user", getUser, required, current)
    .put("/user", putUser, required, async (c) => {
      const changes = await stored(c.valid("body").user)
      if (Object.keys(changes).length > 0)
        await db
          .query(User)
          .filter({ id: me(c) })
          .update(changes)
      return current(c)
    })
    .get("/profiles/:username", show, async (c) => {
      const user = await byName(c.valid("params").username)
      const following = await followed(db, c.get("userId"), [user.id])
      return c.json({ profile: profile(user, following.has(user.id)) }, 200)
    })
    .post("/profiles/:username/follow", follow, required, (c) =>
      setFollow(c, c.valid("params").username, true),
    )
    .delete("/profiles/:username/follow", unfollow, required, (c) =>
      setFollow(c, c.valid("params").username, false),
    )
}
