import { Blueprint, type Context, HttpError } from "truss"
import type { Database, Row } from "truss/orm"
import { hashPassword, type JwtKeySet, verifyPassword } from "../../src/auth/index.js"
import { me, required, unauthorized, type Vars } from "./auth.js"
import { Follow, User } from "./models.js"
import { followed, profile } from "./present.js"
import * as s from "./schemas.js"

const USERS = ["User and Authentication"]
const PROFILE = ["Profile"]
const TOKEN = [{ Token: [] }]
const EMAIL = /^[^\s@]+@[^\s@]+$/

/** Users, the current user and profiles: `/api/users`, `/api/user`, `/api/profiles`. */
export function usersApi(db: Database, keys: JwtKeySet) {
  const present = async (u: Row<typeof User>, token?: string) => ({
    user: { email: u.email, token: token ?? (await keys.sign({ sub: String(u.id) })), username: u.username, bio: u.bio, image: u.image },
  })
  const checkEmail = (email: string | undefined) => {
    if (email !== undefined && !EMAIL.test(email)) throw new HttpError(422, "email is invalid")
  }
  const byName = async (username: string) => {
    const user = await db.query(User).filter({ username }).first()
    if (user === undefined) throw new HttpError(404, "profile not found")
    return user
  }
  const setFollow = async (c: Context<Vars>, username: string, on: boolean) => {
    const [user, follower] = [await byName(username), me(c)]
    const pair = { followerId: follower, followedId: user.id }
    if (on) await db.query(Follow).getOrCreate(pair, {})
    else await db.query(Follow).filter(pair).delete()
    return c.json({ profile: profile(user, on) }, 200)
  }

  return new Blueprint<Vars, "/api">({ prefix: "/api" })
    .post("/users/login", { operationId: "Login", tags: USERS, body: s.LoginUserRequest, response: { 200: s.UserResponse, ...s.authErrors } }, async (c) => {
      const { email, password } = c.valid("body").user
      const user = await db.query(User).filter({ email }).first()
      if (user === undefined || !(await verifyPassword(user.password, password))) throw unauthorized("email or password is invalid")
      return c.json(await present(user), 200)
    })
    .post("/users", { operationId: "CreateUser", tags: USERS, body: s.NewUserRequest, response: { 201: s.UserResponse, ...s.errors } }, async (c) => {
      const { password, ...fields } = c.valid("body").user
      checkEmail(fields.email)
      const user = await db.query(User).create({ ...fields, password: await hashPassword(password) })
      return c.json(await present(user), 201)
    })
    .get("/user", { operationId: "GetCurrentUser", tags: USERS, security: TOKEN, response: { 200: s.UserResponse, ...s.authErrors } }, required, async (c) =>
      c.json(await present(await db.query(User).get({ id: me(c) }), c.get("token")), 200),
    )
    .put("/user", { operationId: "UpdateCurrentUser", tags: USERS, security: TOKEN, body: s.UpdateUserRequest, response: { 200: s.UserResponse, ...s.authErrors } }, required, async (c) => {
      const { password, ...fields } = c.valid("body").user
      checkEmail(fields.email)
      const changes = password === undefined ? fields : { ...fields, password: await hashPassword(password) }
      if (Object.keys(changes).length > 0) await db.query(User).filter({ id: me(c) }).update(changes)
      return c.json(await present(await db.query(User).get({ id: me(c) }), c.get("token")), 200)
    })
    .get("/profiles/:username", { operationId: "GetProfileByUsername", tags: PROFILE, params: s.Username, response: { 200: s.ProfileResponse, ...s.authErrors } }, async (c) => {
      const user = await byName(c.valid("params").username)
      const following = await followed(db, c.get("userId"), [user.id])
      return c.json({ profile: profile(user, following.has(user.id)) }, 200)
    })
    .post("/profiles/:username/follow", { operationId: "FollowUserByUsername", tags: PROFILE, security: TOKEN, params: s.Username, response: { 200: s.ProfileResponse, ...s.authErrors } }, required, (c) =>
      setFollow(c, c.valid("params").username, true),
    )
    .delete("/profiles/:username/follow", { operationId: "UnfollowUserByUsername", tags: PROFILE, security: TOKEN, params: s.Username, response: { 200: s.ProfileResponse, ...s.authErrors } }, required, (c) =>
      setFollow(c, c.valid("params").username, false),
    )
}
