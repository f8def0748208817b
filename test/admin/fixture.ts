import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { expect } from "vitest"
import { type AdminSiteOptions, adminModels, createAdmin, inline } from "../../src/admin/index.js"
import {
  auth,
  authenticate,
  authModels,
  createUser,
  login,
  Permission,
  User,
} from "../../src/auth/index.js"
import { createTables, type Database, field, model } from "../../src/orm/index.js"

export const PASSWORD = "a long admin passphrase"

export const Author = model(
  "blogAuthor",
  {
    name: field.string({ max: 100 }),
    email: field.email({ unique: true }),
    active: field.boolean({ default: true }),
  },
  { app: "blog", label: "author", ordering: ["name"] },
)

export const Tag = model(
  "blogTag",
  { name: field.string({ max: 30, unique: true }) },
  { app: "blog", label: "tag", ordering: ["name"] },
)

export const Post = model(
  "blogPost",
  {
    title: field.string({ max: 200, label: "Title", help: "Shown on the front page." }),
    slug: field.slug({ unique: true }),
    body: field.text({ default: "" }),
    status: field.enum(["draft", "published"], { default: "draft" }),
    views: field.integer({ default: 0 }),
    price: field.decimal({ precision: 8, scale: 2, null: true }),
    featured: field.boolean({ default: false }),
    publishedOn: field.date({ null: true }),
    createdAt: field.datetime({ default: "now" }),
    meta: field.json({ null: true }),
    author: field.foreignKey(() => Author, { onDelete: "cascade" }),
    tags: field.manyToMany(() => Tag),
  },
  { app: "blog", label: "post", ordering: ["-id"] },
)

export const Comment = model(
  "blogComment",
  {
    post: field.foreignKey(() => Post, { onDelete: "cascade" }),
    body: field.string({ max: 500 }),
  },
  { app: "blog", label: "comment" },
)

export const Award = model(
  "blogAward",
  {
    title: field.string({ max: 100 }),
    author: field.foreignKey(() => Author, { onDelete: "protect" }),
  },
  { app: "blog", label: "award" },
)

export const MODELS = [...authModels, ...adminModels, Author, Tag, Post, Comment, Award]

/** The admin with every option in use. */
export function blogAdmin() {
  const admin = createAdmin()
  admin.register(Author, {
    list: ["name", "email", "active"],
    search: ["name", "email"],
    filters: ["active"],
  })
  admin.register(Tag)
  admin.register(Post, {
    list: [
      "title",
      "status",
      "author.email",
      "views",
      { label: "Title length", value: (row) => row.title.length },
    ],
    search: ["title", "author.email"],
    filters: ["status", "featured", "author", "createdAt"],
    ordering: ["-id"],
    perPage: 5,
    readonly: ["views"],
    fieldsets: [
      { title: "Content", fields: ["title", "slug", "body", "status", "author", "tags"] },
      {
        title: "Details",
        description: "Numbers and dates.",
        fields: ["views", "price", "featured", "publishedOn", "createdAt", "meta"],
      },
    ],
    inlines: [inline(Comment, { fields: ["body"], extra: 1 })],
    actions: [
      {
        name: "publish",
        label: "Publish selected posts",
        async run({ db, ids }) {
          const n = await db
            .query(Post)
            .filter({ id: { in: ids } })
            .update({ status: "published" })
          return `${n} posts published.`
        },
      },
    ],
  })
  admin.register(Comment)
  admin.register(Award)
  return admin
}

export function adminApp(db: Database, options: Partial<AdminSiteOptions> = {}): App {
  const app = new App({ logger: false })
  app.use(
    sessions({ secret: "admin-test-secret-admin-test-secret-0123", store: memoryStore() }),
    auth({ db }),
  )
  // A site login outside the admin, so a non-staff user can hold a session.
  app.post("/site-login", { csrf: false }, async (c) => {
    const f = await c.req.form()
    const user = await authenticate(db, String(f.get("email")), String(f.get("password")))
    if (user === undefined) return c.text("no", 401)
    await login(c, user)
    return c.text("ok")
  })
  app.register(blogAdmin().site({ db, ...options }))
  return app
}

/** Creates the tables, a superuser, a staff user with chosen permissions and a plain user. */
export async function seedUsers(db: Database) {
  await createTables(db, MODELS)
  const { syncPermissions } = await import("../../src/auth/index.js")
  await syncPermissions(db, MODELS)
  await createUser(db, {
    email: "root@example.com",
    password: PASSWORD,
    isStaff: true,
    isSuperuser: true,
  })
  await createUser(db, { email: "plain@example.com", password: PASSWORD })
  const viewer = await createUser(db, {
    email: "viewer@example.com",
    password: PASSWORD,
    isStaff: true,
  })
  const perms = await db
    .query(Permission)
    .filter({ codename: { in: ["blog.view_post", "blog.view_author"] } })
    .all()
  await db.query(User).related(viewer.id, "userPermissions").set(perms)
  await createUser(db, { email: "nobody@example.com", password: PASSWORD, isStaff: true })
}

/** Gives `email` these permission codenames. */
export async function grant(db: Database, email: string, codenames: string[]) {
  const user = await db.query(User).get({ email })
  const perms = await db
    .query(Permission)
    .filter({ codename: { in: codenames } })
    .all()
  await db.query(User).related(user.id, "userPermissions").set(perms)
}

/** The CSRF token of a page's first form. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m?.[1]) throw new Error("no CSRF token on the page")
  return m[1]
}

/** A client logged in through the admin's login page. */
export async function loginAs(app: App, email: string): Promise<TestClient> {
  const client = createClient(app, { headers: { accept: "text/html" } })
  const page = await client.get("/admin/login")
  expect(page.status).toBe(200)
  const res = await client.form("/admin/login", {
    _csrf: csrfOf(await page.text()),
    email,
    password: PASSWORD,
    next: "/admin/",
  })
  expect([res.status, res.headers.get("location")]).toEqual([303, "/admin/"])
  return client
}

/** GETs a page and returns status and HTML. */
export async function html(
  client: TestClient,
  path: string,
): Promise<{ status: number; body: string }> {
  const res = await client.get(path)
  return { status: res.status, body: await res.text() }
}

/** Submits a form on `path` with the CSRF token of the page at `from`. */
export async function submit(
  client: TestClient,
  from: string,
  path: string,
  values: Record<string, string | string[]>,
): Promise<Response> {
  const token = csrfOf((await html(client, from)).body)
  return client.form(path, { _csrf: token, ...values })
}
