import { createUser } from "truss/auth"
import { createClient, type TestClient } from "truss/testing"
import { describe, expect, it, onTestFinished } from "vitest"
import { type TestDatabase, testDatabases } from "../../test/support/databases.js"
import { Article } from "./models.js"
import { type Conduit, testConduit } from "./test-app.js"

const targets = (await testDatabases()).filter((t) =>
  ["sqlite", "postgres", "mariadb"].includes(t.name),
)

const PASSWORD = "a long staff passphrase"
const HTML = { headers: { accept: "text/html" } }

/** The CSRF token of a page's first form. */
function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (token === undefined) throw new Error("no CSRF token on the page")
  return token
}

/** Submits the admin's login form as `email`. */
async function logIn(client: TestClient, email: string): Promise<Response> {
  const page = await client.get("/admin/login")
  expect(page.status).toBe(200)
  const _csrf = csrfOf(await page.text())
  return client.form("/admin/login", { _csrf, email, password: PASSWORD, next: "/admin/" })
}

/** A Conduit user who wrote one article through the API; returns its slug. */
async function writeArticle(app: Conduit): Promise<string> {
  const api = createClient(app)
  const user = { username: "jake", email: "jake@example.com", password: "jake-password" }
  const signUp = await api.post("/api/users", { user })
  expect(signUp.status).toBe(201)
  const { token } = ((await signUp.json()) as { user: { token: string } }).user
  const article = {
    title: "How to train your dragon",
    description: "Ever wonder how?",
    body: "You have to believe",
    tagList: ["dragons"],
  }
  const res = await api.post(
    "/api/articles",
    { article },
    { headers: { authorization: `Token ${token}` } },
  )
  expect(res.status).toBe(201)
  return ((await res.json()) as { article: { slug: string } }).article.slug
}

/** Conduit on a fresh database of `target`, dropped after the test. */
async function conduitOn(target: TestDatabase) {
  const opened = await target.open()
  onTestFinished(() => opened.drop())
  return testConduit(opened.db)
}

for (const target of targets)
  describe.skipIf(!target.available)(`the Conduit admin at /admin on ${target.name}`, () => {
    it("sends an anonymous browser to the admin's login page", async () => {
      const { app } = await conduitOn(target)
      const res = await createClient(app, HTML).get("/admin/")
      expect([res.status, res.headers.get("location")]).toEqual([
        303,
        "/admin/login?next=%2Fadmin%2F",
      ])
    })

    it("lets a staff user list, search and edit an article written through the API", async () => {
      const { app, db } = await conduitOn(target)
      const slug = await writeArticle(app)
      await createUser(db, {
        email: "staff@example.com",
        password: PASSWORD,
        isStaff: true,
        isSuperuser: true,
      })
      const staff = createClient(app, HTML)
      const login = await logIn(staff, "staff@example.com")
      expect([login.status, login.headers.get("location")]).toEqual([303, "/admin/"])

      const index = await (await staff.get("/admin/")).text()
      for (const href of ["article", "user", "comment", "tag"])
        expect(index).toContain(`href="/admin/app/${href}/"`)

      const list = await staff.get("/admin/app/article/")
      const listed = await list.text()
      expect(list.status).toBe(200)
      expect(listed).toContain("How to train your dragon")
      expect(listed).toContain("jake")
      const hit = await (await staff.get("/admin/app/article/?q=believe")).text()
      expect(hit).toContain("How to train your dragon")
      const miss = await (await staff.get("/admin/app/article/?q=unicorns")).text()
      expect(miss).not.toContain("How to train your dragon")

      const { id, authorId } = await db.query(Article).get({ slug })
      const change = `/admin/app/article/${id}/change`
      const form = await (await staff.get(change)).text()
      const createdAt = /name="createdAt" value="([^"]+)"/.exec(form)?.[1] ?? ""
      const saved = await staff.form(change, {
        _csrf: csrfOf(form),
        slug,
        title: "How to train your dragon",
        description: "Ever wonder how?",
        body: "You have to believe, and feed it",
        authorId: String(authorId),
        tags: /name="tags" value="(\d+)" checked/.exec(form)?.[1] ?? "",
        createdAt,
        _save: "1",
      })
      expect([saved.status, saved.headers.get("location")]).toEqual([303, "/admin/app/article/"])
      const read = await createClient(app).get(`/api/articles/${slug}`)
      const { article } = (await read.json()) as { article: { body: string; tagList: string[] } }
      expect([read.status, article.body, article.tagList]).toEqual([
        200,
        "You have to believe, and feed it",
        ["dragons"],
      ])
    })

    it("refuses an auth user who is not staff", async () => {
      const { app, db } = await conduitOn(target)
      await createUser(db, { email: "reader@example.com", password: PASSWORD })
      const client = createClient(app, HTML)
      const res = await logIn(client, "reader@example.com")
      expect(res.status).toBe(401)
      expect(await res.text()).toContain("Enter the email and password of a staff account.")
      const index = await client.get("/admin/")
      expect([index.status, index.headers.get("location")]).toEqual([
        303,
        "/admin/login?next=%2Fadmin%2F",
      ])
    })

    it("keeps its session cookie under /admin and the API cookie-free", async () => {
      const { app } = await conduitOn(target)
      const page = await createClient(app, HTML).get("/admin/login")
      expect(page.headers.get("set-cookie")).toMatch(/^truss_session=[^;]+;.*Path=\/admin;/)
      const api = await createClient(app).get("/api/tags")
      expect([api.status, api.headers.get("set-cookie")]).toEqual([200, null])
    })
  })
