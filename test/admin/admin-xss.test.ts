import type { App } from "truss"
import type { TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createAdmin } from "../../src/admin/index.js"
import { connect, type Database, field, model } from "../../src/orm/index.js"
import { escapeText } from "../../src/templates/index.js"
import { PAYLOADS } from "../browser/xss-payloads.js"
import { Author, adminApp, Comment, html, loginAs, Post, seedUsers, submit } from "./fixture.js"

describe("XSS payloads in data are escaped on every admin page", () => {
  let db: Database
  let app: App
  let root: TestClient
  beforeAll(async () => {
    db = await connect("sqlite::memory:")
    await seedUsers(db)
    app = adminApp(db)
    root = await loginAs(app, "root@example.com")
  })
  afterAll(() => db.close())

  it("escapes each OWASP payload in the list, form, delete, history and index pages", async () => {
    const pages = (id: number) => [
      `/admin/blog/post/?q=${encodeURIComponent(PAYLOADS[0] ?? "")}`,
      "/admin/blog/post/",
      `/admin/blog/post/${id}/change`,
      `/admin/blog/post/${id}/delete`,
      `/admin/blog/post/${id}/history`,
      "/admin/blog/comment/",
      "/admin/",
    ]
    let checked = 0
    for (const [i, payload] of PAYLOADS.entries()) {
      const text = payload.slice(0, 200)
      const author = await db
        .query(Author)
        .create({ name: text.slice(0, 100), email: `x${i}@example.com` })
      const res = await submit(root, "/admin/blog/post/add", "/admin/blog/post/add", {
        title: text,
        slug: `xss-${i}`,
        status: "draft",
        authorId: String(author.id),
        body: text,
        meta: JSON.stringify({ html: text }),
        "inl0-TOTAL": "1",
        "inl0-0-id": "",
        "inl0-0-body": text,
      })
      expect(res.status, payload).toBe(303)
      const post = await db.query(Post).get({ slug: `xss-${i}` })
      expect(await db.query(Comment).filter({ postId: post.id }).count()).toBe(1)
      for (const path of pages(post.id)) {
        const page = await html(root, path)
        expect(page.status, path).toBe(200)
        if (/[<>"']/.test(text)) expect(page.body.includes(text), `${path}: ${payload}`).toBe(false)
        checked++
      }
      const change = await html(root, `/admin/blog/post/${post.id}/change`)
      expect(change.body).toContain(`value="${escapeText(text)}"`)
      expect(change.body).toContain(`>${escapeText(text)}</textarea>`)
    }
    expect(checked).toBe(PAYLOADS.length * 7)
  })
})

describe("registration is checked at runtime too (for JavaScript callers)", () => {
  const Thing = model("regThing", {
    name: field.string(),
    tags: field.manyToMany("self"),
    owner: field.foreignKey("self", { null: true }),
  })
  const cases: [string, () => unknown, string][] = [
    [
      "an unknown list field",
      () => createAdmin().register(Thing, { list: ["nmae"] } as never),
      'admin.register(regThing): list names "nmae", which regThing does not have. Use one of: id, name, tags, owner.',
    ],
    [
      "a many-to-many list column",
      () => createAdmin().register(Thing, { list: ["tags"] } as never),
      'admin.register(regThing): list names the many-to-many field "tags"; use a computed column for it.',
    ],
    [
      "a filter on a text field",
      () => createAdmin().register(Thing, { filters: ["name"] as never }),
      'admin.register(regThing): filters names "name"; filters work on booleans, choices, enums, dates and foreign keys.',
    ],
    [
      "a bad perPage",
      () => createAdmin().register(Thing, { perPage: 0 }),
      "admin.register(regThing): perPage must be an integer from 1 to 1000.",
    ],
    [
      "an action named delete_selected",
      () =>
        createAdmin().register(Thing, {
          actions: [{ name: "delete_selected", label: "x", run: () => undefined }],
        }),
      'admin.register(regThing): actions has the name "delete_selected"; use letters, digits and _ (delete_selected is built in).',
    ],
    [
      "a second registration",
      () => createAdmin().register(Thing).register(Thing),
      'The model "regThing" is registered with the admin twice. Register it once, with all its options.',
    ],
  ]
  for (const [name, run, message] of cases) {
    it(`refuses ${name}`, () => {
      expect(run).toThrowError(message)
    })
  }

  it("autodiscovers models, skipping link tables and models already registered", () => {
    const admin = createAdmin().register(Thing, { list: ["name"] })
    admin.autodiscover([Thing, Thing.meta.relation("tags")?.through?.model as typeof Thing, Author])
    expect(admin.models.map((m) => m.name)).toEqual(["regThing", "blogAuthor"])
  })

  it("answers TRUSS_ERR_ADMIN_AUTH_REQUIRED when auth() is missing", async () => {
    const { App } = await import("truss")
    const { memoryStore, sessions } = await import("truss/sessions")
    const db = await connect("sqlite::memory:")
    // debug: a 5xx names its code (production hides it from the client)
    const app = new App({ logger: false, debug: true })
    app.use(sessions({ secret: "admin-test-secret-admin-test-secret-0123", store: memoryStore() }))
    app.register(createAdmin().site({ db }))
    const res = await app.request(
      new Request("http://localhost/admin/", { headers: { accept: "application/json" } }),
    )
    expect(res.status).toBe(500)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_ADMIN_AUTH_REQUIRED")
    await db.close()
  })
})
