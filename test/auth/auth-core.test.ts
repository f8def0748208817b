import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  auth,
  authenticate,
  authModels,
  changePassword,
  createUser,
  defineObjectPermission,
  Group,
  login,
  logout,
  Permission,
  requirePermission,
  requireStaff,
  requireUser,
  safeNext,
  syncPermissions,
  User,
} from "../../src/auth/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"

const SECRET = "auth-core-test-secret-auth-core-test-secret"
const PASSWORD = "a long enough passphrase"

/** An app with sessions, auth and a few guarded routes, on `db`. */
function siteApp(db: Database): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: SECRET, store: memoryStore() }), auth({ db }))
  app.post("/login", async (c) => {
    const { email, password } = (await c.req.json()) as { email: string; password: string }
    const user = await authenticate(db, email, password)
    if (user === undefined) return c.json({ ok: false }, 401)
    await login(c, user)
    return { ok: true, user: c.user?.email }
  })
  app.post("/logout", async (c) => {
    await logout(c)
    return { user: c.user?.email ?? null }
  })
  app.get("/me", (c) => ({ user: c.user?.email ?? null }))
  app.post("/visit", (c) => {
    ;(c.session as unknown as { set(k: string, v: unknown): void }).set("visited", true)
    return { ok: true }
  })
  app.get("/private", requireUser(), (c) => ({ email: c.user?.email }))
  app.get("/staff", requireStaff(), () => "staff only")
  app.get("/edit", requirePermission("blog.change_post"), () => "may edit")
  app.post("/password", requireUser(), async (c) => {
    const { password } = (await c.req.json()) as { password: string }
    const user = c.user
    if (user === undefined) throw new Error("guarded")
    await changePassword(db, user, password, c)
    return { ok: true }
  })
  app.get("/can/:author", requireUser(), async (c) => ({
    model: await c.can("blog.change_post"),
    own: await c.can("blog.change_post", { authorId: Number(c.params.author) }),
    viaUser: await c.user!.hasPerm("blog.change_post", { authorId: Number(c.params.author) }),
    keys: Object.keys(c.user!).includes("hasPerm"),
  }))
  return app
}

async function loggedIn(app: App, email: string, password = PASSWORD): Promise<TestClient> {
  const client = createClient(app)
  const res = await client.post("/login", { email, password })
  expect(res.status).toBe(200)
  return client
}

describe("auth(): c.user, login and logout over sessions", () => {
  let db: Database
  let app: App
  beforeAll(async () => {
    db = await connect("sqlite::memory:")
    await createTables(db, authModels)
    await createUser(db, { email: "ann@example.com", password: PASSWORD })
    await createUser(db, { email: "sam@example.com", password: PASSWORD, isStaff: true })
    app = siteApp(db)
  })
  afterAll(() => db.close())

  it("is anonymous until login, then the user on every request, until logout", async () => {
    const client = createClient(app)
    expect(await (await client.get("/me")).json()).toEqual({ user: null })
    const before = (await client.cookies()).truss_session
    const res = await client.post("/login", { email: "ANN@example.com", password: PASSWORD })
    expect(await res.json()).toEqual({ ok: true, user: "ann@example.com" })
    expect((await client.cookies()).truss_session).not.toBe(before)
    expect(await (await client.get("/me")).json()).toEqual({ user: "ann@example.com" })
    const row = await db.query(User).filter({ email: "ann@example.com" }).get()
    expect(row.lastLogin).toBeInstanceOf(Date)
    expect(await (await client.post("/logout")).json()).toEqual({ user: null })
    expect(await (await client.get("/me")).json()).toEqual({ user: null })
  })

  it("rotates the session id at login, so a planted id is worthless (no fixation)", async () => {
    const attacker = createClient(app)
    await attacker.post("/visit")
    const planted = (await attacker.cookies()).truss_session
    expect(planted).toBeDefined()
    const victim = createClient(app)
    await victim.jar.setCookie(`truss_session=${planted}`, "http://localhost/")
    await victim.post("/login", { email: "ann@example.com", password: PASSWORD })
    expect((await victim.cookies()).truss_session).not.toBe(planted)
    expect(await (await attacker.get("/me")).json()).toEqual({ user: null })
  })

  it("answers an API request to a guarded route with 401 problem+json, a browser with a redirect to login", async () => {
    const client = createClient(app)
    const api = await client.get("/private")
    expect(api.status).toBe(401)
    expect(api.headers.get("content-type")).toBe("application/problem+json")
    expect(((await api.json()) as { code: string }).code).toBe("TRUSS_ERR_AUTH_LOGIN_REQUIRED")
    const page = await client.get("/private?tab=2", { headers: { accept: "text/html" } })
    expect([page.status, page.headers.get("location")]).toEqual([
      303,
      "/login?next=%2Fprivate%3Ftab%3D2",
    ])
  })

  it("lets staff through requireStaff() and answers others 403", async () => {
    const ann = await loggedIn(app, "ann@example.com")
    const denied = await ann.get("/staff")
    expect(denied.status).toBe(403)
    expect(await denied.json()).toMatchObject({
      code: "TRUSS_ERR_AUTH_PERMISSION_DENIED",
      detail:
        "You do not have permission to do this (needs staff status). Ask an administrator for it.",
    })
    const sam = await loggedIn(app, "sam@example.com")
    expect(await (await sam.get("/staff")).text()).toBe("staff only")
  })

  it("ends a disabled user's sessions on their next request", async () => {
    await createUser(db, { email: "gone@example.com", password: PASSWORD })
    const client = await loggedIn(app, "gone@example.com")
    expect(await (await client.get("/me")).json()).toEqual({ user: "gone@example.com" })
    await db.query(User).filter({ email: "gone@example.com" }).update({ isActive: false })
    expect(await (await client.get("/me")).json()).toEqual({ user: null })
    expect((await client.get("/private")).status).toBe(401)
  })

  it("keeps the session that changed the password and ends the user's other sessions", async () => {
    await createUser(db, { email: "two@example.com", password: PASSWORD })
    const laptop = await loggedIn(app, "two@example.com")
    const phone = await loggedIn(app, "two@example.com")
    const changed = await laptop.post("/password", { password: "another long passphrase" })
    expect(changed.status).toBe(200)
    expect(await (await laptop.get("/me")).json()).toEqual({ user: "two@example.com" })
    expect(await (await phone.get("/me")).json()).toEqual({ user: null })
    expect(
      (await createClient(app).post("/login", { email: "two@example.com", password: PASSWORD }))
        .status,
    ).toBe(401)
  })

  it("accepts only same-origin next URLs", async () => {
    const c = { req: { url: "http://localhost/login" } } as Parameters<typeof safeNext>[0]
    const cases = [
      "/tasks?page=2",
      "http://localhost/admin#top",
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "/ok\n",
      "",
      undefined,
    ].map((next) => safeNext(c, next))
    expect(cases).toEqual(["/tasks?page=2", "/admin#top", "/", "/", "/", "/", "/", "/", "/"])
  })
})

describe("permissions: direct, through groups, superusers, object rules", () => {
  let db: Database
  let app: App
  beforeAll(async () => {
    db = await connect("sqlite::memory:")
    await createTables(db, authModels)
    await db.query(Permission).bulkCreate([
      { codename: "blog.change_post", name: "Can change post" },
      { codename: "blog.view_post", name: "Can view post" },
    ])
    const [change] = await db.query(Permission).filter({ codename: "blog.change_post" }).all()
    const editors = await db.query(Group).create({ name: "editors" })
    await db.query(Group).related(editors.id, "permissions").add(change!)
    const eve = await createUser(db, { email: "eve@example.com", password: PASSWORD })
    await db.query(User).related(eve.id, "groups").add(editors)
    const dan = await createUser(db, { email: "dan@example.com", password: PASSWORD })
    await db.query(User).related(dan.id, "userPermissions").add(change!)
    await createUser(db, { email: "root@example.com", password: PASSWORD, isSuperuser: true })
    await createUser(db, { email: "nobody@example.com", password: PASSWORD })
    defineObjectPermission("blog.change_post", (user, post: { authorId: number }) =>
      post.authorId === user.id ? true : undefined,
    )
    app = siteApp(db)
  })
  afterAll(() => db.close())

  it("grants requirePermission() through a group, directly and to superusers; 403 otherwise", async () => {
    const answers: [string, number][] = []
    for (const email of ["eve", "dan", "root", "nobody"].map((n) => `${n}@example.com`)) {
      answers.push([email, (await (await loggedIn(app, email)).get("/edit")).status])
    }
    expect(answers).toEqual([
      ["eve@example.com", 200],
      ["dan@example.com", 200],
      ["root@example.com", 200],
      ["nobody@example.com", 403],
    ])
  })

  it("lets an object rule grant c.can() on one object", async () => {
    const nobody = await loggedIn(app, "nobody@example.com")
    const me = (await db.query(User).filter({ email: "nobody@example.com" }).get()).id
    expect(await (await nobody.get(`/can/${me}`)).json()).toEqual({
      model: false,
      own: true,
      viaUser: true,
      keys: false,
    })
    expect(await (await nobody.get(`/can/${me + 100}`)).json()).toEqual({
      model: false,
      own: false,
      viaUser: false,
      keys: false,
    })
  })

  it("syncPermissions() creates add, change, delete and view of each model once", async () => {
    expect(await syncPermissions(db, authModels)).toBe(12)
    expect(await syncPermissions(db, authModels)).toBe(0)
    const codes = (
      await db
        .query(Permission)
        .filter({ codename: { startsWith: "auth." } })
        .all()
    ).map((p) => p.codename)
    expect(codes).toEqual([
      "auth.add_group",
      "auth.add_permission",
      "auth.add_user",
      "auth.change_group",
      "auth.change_permission",
      "auth.change_user",
      "auth.delete_group",
      "auth.delete_permission",
      "auth.delete_user",
      "auth.view_group",
      "auth.view_permission",
      "auth.view_user",
    ])
  })
})
