import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { templates } from "truss/templates"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  AccessToken,
  auth,
  authenticate,
  authModels,
  createAccessToken,
  createUser,
  Group,
  login,
  loginThrottle,
  Permission,
  passwordProblems,
  tokenAuth,
  User,
  validatePassword,
} from "../../src/auth/index.js"
import {
  connect,
  createTables,
  type Database,
  field,
  Migrator,
  model,
} from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const PASSWORD = "a long enough passphrase"
const Post = model(
  "blogPost",
  { title: field.string({ max: 200 }) },
  { app: "blog", permissions: [["publish_post", "Can publish posts"]] },
)

for (const target of await testDatabases()) {
  if (target.name === "mysql-no-returning" || target.name === "postgres-pipeline") continue
  describe.skipIf(!target.available)(
    `${target.name}: auth through makemigrations and migrate`,
    () => {
      let db: Database
      let drop: () => Promise<void>
      let dir: string
      beforeAll(async () => {
        ;({ db, drop } = await target.open())
        dir = await mkdtemp(join(tmpdir(), "truss-auth-migrate-"))
      })
      afterAll(async () => {
        await drop()
        await rm(dir, { recursive: true, force: true })
      })

      it("creates the tables and each model's permissions, custom ones included", async () => {
        const migrator = new Migrator(db, { dir })
        const made = await migrator.makeMigrations([...authModels, Post])
        expect(made?.name).toBe("0001_initial")
        expect(await migrator.migrate()).toEqual(["0001_initial"])
        const codes = (await db.query(Permission).all()).map((p) => p.codename)
        expect(codes.filter((c) => c.startsWith("blog."))).toEqual([
          "blog.add_post",
          "blog.change_post",
          "blog.delete_post",
          "blog.publish_post",
          "blog.view_post",
        ])
        expect(codes.filter((c) => c.startsWith("auth.")).length).toBe(12)
        // A second migrate adds nothing twice.
        expect(await migrator.migrate()).toEqual([])
        expect(await db.query(Permission).count()).toBe(codes.length)
      })

      it("loads a user's permissions through a group in one query", async () => {
        const user = await createUser(db, { email: "g@example.com", password: PASSWORD })
        const publish = await db.query(Permission).filter({ codename: "blog.publish_post" }).get()
        const group = await db.query(Group).create({ name: "publishers" })
        await db.query(Group).related(group.id, "permissions").add(publish)
        await db.query(User).related(user.id, "groups").add(group)
        const { userPermissions } = await import("../../src/auth/index.js")
        expect([...(await userPermissions(db, user))]).toEqual(["blog.publish_post"])
      })
    },
  )
}

describe("password validators", () => {
  it("names every problem with a code", () => {
    const codes = (pw: string, owner = {}) => passwordProblems(pw, owner).map((p) => p.code)
    expect(codes("1234567")).toEqual([
      "password_too_short",
      "password_too_common",
      "password_entirely_numeric",
    ])
    expect(codes("Password")).toEqual(["password_too_common"])
    expect(codes("ann.smith.1", { email: "Ann.Smith@example.com" })).toEqual([
      "password_too_similar",
    ])
    expect(codes("marmalade-tractor-42")).toEqual([])
  })

  it("throws one 422 listing every reason", () => {
    try {
      validatePassword("12345", { email: "x@example.com" })
      expect.unreachable()
    } catch (err) {
      expect(err).toMatchObject({
        code: "TRUSS_ERR_AUTH_PASSWORD_INVALID",
        status: 422,
        message:
          "Choose another password: It must have at least 8 characters. It is too common. It cannot be entirely numeric.",
      })
    }
  })
})

describe("login throttle, bearer tokens and templates", () => {
  let db: Database
  let dir: string
  beforeAll(async () => {
    db = await connect("sqlite::memory:")
    await createTables(db, [...authModels, AccessToken])
    await createUser(db, { email: "ann@example.com", password: PASSWORD })
    dir = await mkdtemp(join(tmpdir(), "truss-auth-tpl-"))
    await writeFile(
      join(dir, "nav.liquid"),
      `{% if user %}{{ user.email }}{% else %}guest{% endif %}|{% if perms["blog.change_post"] %}edit{% else %}read{% endif %}|{% if can["blog.change_post"] %}can{% else %}cannot{% endif %}`,
    )
  })
  afterAll(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  function throttledApp(): App {
    const throttle = loginThrottle({ perAccount: 3, perIp: 5, window: 60 })
    const app = new App({ logger: false })
    app.use(sessions({ secret: "throttle-test-secret-throttle-test-secret" }), auth({ db }))
    app.post("/login", async (c) => {
      const { email, password } = (await c.req.json()) as { email: string; password: string }
      await throttle.check(c, email)
      const user = await authenticate(db, email, password)
      if (user === undefined) {
        await throttle.fail(c, email)
        return c.json({ error: "wrong email or password" }, 401)
      }
      await login(c, user)
      return { ok: true }
    })
    return app
  }

  it("locks an account after 3 failures with 429 and Retry-After, even for the right password", async () => {
    const client = createClient(throttledApp())
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await client.post("/login", { email: "ann@example.com", password: "x" })).status,
      )
    }
    const locked = await client.post("/login", { email: "ann@example.com", password: PASSWORD })
    statuses.push(locked.status)
    expect(statuses).toEqual([401, 401, 401, 429])
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/)
    expect(await locked.json()).toMatchObject({ code: "TRUSS_ERR_AUTH_LOCKED_OUT" })
  })

  it("answers an unknown account's lockout exactly like a real one's", async () => {
    const client = createClient(throttledApp())
    const bodies: unknown[] = []
    for (const email of ["ann@example.com", "ghost@example.com"]) {
      for (let i = 0; i < 3; i++) await client.post("/login", { email, password: "x" })
      const res = await client.post("/login", { email, password: "x" })
      const body = (await res.json()) as Record<string, unknown>
      bodies.push([res.status, body.code, body.detail])
    }
    expect(bodies[0]).toEqual(bodies[1])
  })

  it("locks a client IP after 5 failures across accounts", async () => {
    const client = createClient(throttledApp())
    for (const n of [1, 2, 3, 4, 5]) {
      await client.post("/login", { email: `u${n}@example.com`, password: "x" })
    }
    const res = await client.post("/login", { email: "ann@example.com", password: PASSWORD })
    expect(res.status).toBe(429)
  })

  it("gives c.user to a personal-access-token request, without a session", async () => {
    const ann = await db.query(User).filter({ email: "ann@example.com" }).get()
    const { token } = await createAccessToken(db, { userId: ann.id, name: "ci" })
    const app = new App({ logger: false }).use(tokenAuth(db), auth({ db }))
    app.get("/whoami", (c) => ({ user: c.user?.email ?? null }))
    const client = createClient(app)
    const res = await client.get("/whoami", { headers: { authorization: `Bearer ${token}` } })
    expect(await res.json()).toEqual({ user: "ann@example.com" })
    expect(await (await client.get("/whoami")).json()).toEqual({ user: null })
  })

  it("puts user and perms into templates", async () => {
    const app = new App({ logger: false })
    app.use(
      sessions({ secret: "tpl-test-secret-tpl-test-secret-tpl-test", store: memoryStore() }),
      auth({ db }),
      templates({ dir }),
    )
    app.post("/login", async (c) => {
      const user = await authenticate(db, "ann@example.com", PASSWORD)
      if (user) await login(c, user)
      return { ok: Boolean(user) }
    })
    app.get("/nav", (c) => c.render("nav.liquid"))
    const client = createClient(app)
    const html = { headers: { accept: "text/html" } }
    expect(await (await client.get("/nav", html)).text()).toBe("guest|read|cannot")
    await client.post("/login")
    expect(await (await client.get("/nav", html)).text()).toBe("ann@example.com|read|cannot")
    const ann = await db.query(User).filter({ email: "ann@example.com" }).get()
    const perm = await db.query(Permission).create({ codename: "blog.change_post", name: "x" })
    await db.query(User).related(ann.id, "userPermissions").add(perm)
    expect(await (await client.get("/nav", html)).text()).toBe("ann@example.com|edit|can")
    // A superuser has every permission in templates too, with no permission query.
    await db.query(User).filter({ id: ann.id }).update({ isSuperuser: true })
    await db.query(User).related(ann.id, "userPermissions").clear()
    expect(await (await client.get("/nav", html)).text()).toBe("ann@example.com|edit|can")
  })
})
