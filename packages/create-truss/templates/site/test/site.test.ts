import assert from "node:assert/strict"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import { createUser } from "truss/auth"
import { createMailer, memoryTransport } from "truss/mail"
import { connect, Migrator } from "truss/orm"
import { createClient, type TestClient } from "truss/testing"
import { Post } from "../src/models.js"
import { createApp } from "../src/site.js"

const PASSWORD = "correct horse battery staple"

/** The site on a fresh in-memory database, migrated by migrations/ like the real one. */
async function testSite() {
  const db = await connect("sqlite::memory:")
  const dir = fileURLToPath(new URL("../migrations/", import.meta.url))
  await new Migrator(db, { dir }).migrate()
  const outbox = memoryTransport()
  const app = createApp(db, {
    secret: "a-test-secret-of-at-least-32-characters",
    origin: "http://localhost",
    mailer: createMailer({ transport: outbox, from: "test@localhost" }),
  })
  return { app, db }
}

/** A browser-like client: it asks for HTML, so guards redirect it to the login page. */
const browser = (app: ReturnType<typeof createApp>) =>
  createClient(app, { headers: { accept: "text/html" } })

/** Submits a form of `path` the way a browser does: with the CSRF token the page holds. */
async function submit(client: TestClient, path: string, values: Record<string, string>) {
  const page = await (await client.get(path)).text()
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  assert.ok(token, `no CSRF field on ${path}`)
  return client.form(path, { _csrf: token, ...values })
}

test("GET / shows the published posts only", async () => {
  const { app, db } = await testSite()
  await db.query(Post).create({ title: "Hello, world", body: "The first post.", published: true })
  await db.query(Post).create({ title: "A draft", published: false })
  const res = await app.request("/")
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.match(html, /<h1>Welcome to __NAME__<\/h1>/)
  assert.match(html, /<h3>Hello, world<\/h3>/)
  assert.doesNotMatch(html, /A draft/)
})

test("a user logs in with the form, opens their account page and logs out", async () => {
  const { app, db } = await testSite()
  await createUser(db, { email: "ann@example.com", password: PASSWORD })
  const client = browser(app)
  const anonymous = await client.get("/account")
  assert.equal(anonymous.status, 303)
  assert.equal(anonymous.headers.get("location"), "/accounts/login?next=%2Faccount")

  const login = await submit(client, "/accounts/login", {
    email: "ann@example.com",
    password: PASSWORD,
  })
  assert.equal(login.status, 303)
  assert.equal(login.headers.get("location"), "/account")
  const account = await client.get("/account")
  assert.equal(account.status, 200)
  assert.match(await account.text(), /Signed in as <strong>ann@example.com<\/strong>/)

  const logout = await submit(client, "/accounts/logout", {})
  assert.equal(logout.status, 303)
  assert.equal((await client.get("/account")).status, 303)
})

test("a superuser logs in to the admin at /admin and sees the posts", async () => {
  const { app, db } = await testSite()
  const staff = { email: "staff@example.com", password: PASSWORD, isStaff: true }
  await createUser(db, { ...staff, isSuperuser: true })
  await db.query(Post).create({ title: "Edited in the admin" })
  const client = browser(app)
  const login = await submit(client, "/admin/login", { email: staff.email, password: PASSWORD })
  assert.equal(login.status, 303)
  assert.equal(login.headers.get("location"), "/admin/")
  const list = await client.get("/admin/app/post/")
  assert.equal(list.status, 200)
  assert.match(await list.text(), /Edited in the admin/)
})
