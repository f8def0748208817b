import type { App } from "truss"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { LogEntry } from "../../src/admin/index.js"
import { loginThrottle } from "../../src/auth/index.js"
import { type Database, sql } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import {
  Author,
  Award,
  adminApp,
  Comment,
  csrfOf,
  grant,
  html,
  loginAs,
  PASSWORD,
  Post,
  seedUsers,
  submit,
  Tag,
} from "./fixture.js"

const TARGETS = (await testDatabases()).filter(
  (t) => t.name === "sqlite" || t.name === "postgres" || t.name === "mariadb",
)

/** The texts of the first column's links on a list page, in order. */
function titles(body: string): string[] {
  return [...body.matchAll(/<td class="cell-text"><a href="[^"]+">([^<]*)<\/a><\/td>/g)].map(
    (m) => m[1] ?? "",
  )
}

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`${target.name}: admin pages through the test client`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    let root: TestClient
    let queries = 0
    let counting = false

    beforeAll(async () => {
      ;({ db, drop } = await target.open({
        onQuery: (q) => {
          if (counting) queries++
          if (counting && process.env.SHOW_SQL) console.log(q.sql)
        },
      }))
      await seedUsers(db)
      const ann = await db.query(Author).create({ name: "Ann", email: "ann@example.com" })
      const bob = await db.query(Author).create({ name: "Bob", email: "bob@example.com" })
      await db.query(Tag).bulkCreate([{ name: "news" }, { name: "orm" }])
      const rows = [
        ["Alpha", "published", ann.id, true, "2026-01-05T10:00:00Z"],
        ["Bravo", "draft", bob.id, false, "2026-02-05T10:00:00Z"],
        ["Charlie 50%_off", "published", bob.id, false, "2026-03-05T10:00:00Z"],
        ["Delta", "draft", ann.id, true, "2026-04-05T10:00:00Z"],
        ["Echo", "draft", ann.id, false, "2026-05-05T10:00:00Z"],
        ["Foxtrot", "published", bob.id, false, "2026-06-05T10:00:00Z"],
        ["Golf <script>alert(1)</script>", "draft", ann.id, false, "2026-07-05T10:00:00Z"],
      ] as const
      for (const [i, [title, status, authorId, featured, at]] of rows.entries()) {
        await db.query(Post).create({
          title,
          slug: `post-${i + 1}`,
          status,
          authorId,
          featured,
          createdAt: new Date(at),
          views: i * 10,
        })
      }
      app = adminApp(db)
      root = await loginAs(app, "root@example.com")
    })
    afterAll(() => drop())

    it("sends an anonymous browser to the admin's login page with next", async () => {
      const res = await createClient(app).get("/admin/blog/post/?q=a")
      expect([res.status, res.headers.get("location")]).toEqual([
        303,
        "/admin/login?next=%2Fadmin%2Fblog%2Fpost%2F%3Fq%3Da",
      ])
    })

    it("refuses the login of a non-staff user and answers a non-staff session 403", async () => {
      const client = createClient(app)
      const token = csrfOf(await (await client.get("/admin/login")).text())
      const res = await client.form("/admin/login", {
        _csrf: token,
        email: "plain@example.com",
        password: PASSWORD,
      })
      expect(res.status).toBe(401)
      expect(await res.text()).toContain("Enter the email and password of a staff account.")
      expect(
        (await client.form("/site-login", { email: "plain@example.com", password: PASSWORD }))
          .status,
      ).toBe(200)
      const page = await html(client, "/admin/")
      expect(page.status).toBe(403)
      expect(page.body).toContain(
        "You are logged in as plain@example.com, but this account may not use the admin. Log in with a staff account.",
      )
      expect((await client.get("/admin/blog/post/")).status).toBe(403)
    })

    it("locks out an account after repeated wrong passwords on the admin login", async () => {
      const locked = adminApp(db, { throttle: loginThrottle({ perAccount: 2, window: 60 }) })
      const client = createClient(locked, { headers: { accept: "text/html" } })
      const token = csrfOf(await (await client.get("/admin/login")).text())
      const attempt = (password: string) =>
        client.form("/admin/login", { _csrf: token, email: "root@example.com", password })
      expect([(await attempt("wrong one")).status, (await attempt("wrong two")).status]).toEqual([
        401, 401,
      ])
      const refused = await attempt(PASSWORD)
      const wait = Number(refused.headers.get("retry-after"))
      expect(refused.status).toBe(429)
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(60)
      expect(await refused.text()).toContain(
        `Too many failed logins. Wait ${wait} seconds, then try again.`,
      )
    })

    it("shows the index grouped by app with only the models the user may see", async () => {
      const all = await html(root, "/admin/")
      expect(all.status).toBe(200)
      expect(
        [...all.body.matchAll(/<th scope="row"><a href="([^"]+)">([^<]+)<\/a><\/th>/g)].map(
          (m) => `${m[2]} ${m[1]}`,
        ),
      ).toEqual([
        "Authors /admin/blog/author/",
        "Tags /admin/blog/tag/",
        "Posts /admin/blog/post/",
        "Comments /admin/blog/comment/",
        "Awards /admin/blog/award/",
      ])
      expect(all.body).toContain('<h2 id="app-blog" class="card-title">Blog</h2>')
      const viewer = await loginAs(app, "viewer@example.com")
      const seen = await html(viewer, "/admin/")
      expect(
        [...seen.body.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a><\/th>/g)].map(
          (m) => m[1],
        ),
      ).toEqual(["Authors", "Posts"])
      expect(seen.body).not.toContain(">Add</a>")
      const nobody = await loginAs(app, "nobody@example.com")
      expect((await html(nobody, "/admin/")).body).toContain(
        "You have no permission to view or edit anything here yet.",
      )
      expect((await nobody.get("/admin/blog/post/")).status).toBe(403)
    })

    it("lists rows newest first, five per page, with counts and page links", async () => {
      const first = await html(root, "/admin/blog/post/")
      expect(first.status).toBe(200)
      expect(titles(first.body)).toEqual([
        "Golf &lt;script&gt;alert(1)&lt;/script&gt;",
        "Foxtrot",
        "Echo",
        "Delta",
        "Charlie 50%_off",
      ])
      expect(first.body).toContain("1–5 of 7 posts")
      expect(first.body).toContain('<td class="cell-text">ann@example.com</td>')
      const second = await html(root, "/admin/blog/post/?p=2")
      expect(titles(second.body)).toEqual(["Bravo", "Alpha"])
      expect(second.body).toContain("6–7 of 7 posts")
    })

    it("runs one COUNT and one SELECT joining the foreign key (no N+1), besides auth's user and the author filter's", async () => {
      queries = 0
      counting = true
      const res = await root.get("/admin/blog/post/?featured=0")
      await res.text()
      counting = false
      expect(res.status).toBe(200)
      // auth: the session's user (a superuser needs no permission query); admin: COUNT,
      // SELECT … JOIN author (whatever the number of rows), the sidebar filter's authors.
      expect(queries).toBe(4)
    })

    it.skipIf(target.sql !== "postgres")(
      "shows PostgreSQL's estimate for an unfiltered list above the threshold, an exact count when filtered",
      async () => {
        await db.execute(sql`ANALYZE blog_post`)
        const estimating = await loginAs(adminApp(db, { estimateAbove: 3 }), "root@example.com")
        const total = await db.query(Post).count()
        expect((await html(estimating, "/admin/blog/post/")).body).toContain(
          `1–5 of about ${total} posts`,
        )
        const drafts = await db.query(Post).filter({ status: "draft" }).count()
        expect((await html(estimating, "/admin/blog/post/?status=draft")).body).toContain(
          `of ${drafts} posts`,
        )
      },
    )

    it("offers a search box and a JSON lookup for a foreign key to a large table", async () => {
      const app2 = adminApp(db, { autocompleteAbove: 1 })
      const client = await loginAs(app2, "root@example.com")
      const row = await db.query(Post).get({ slug: "post-3" })
      const form = await html(client, `/admin/blog/post/${row.id}/change`)
      expect(form.body).toContain(
        '<div class="autocomplete" data-lookup="/admin/blog/author/lookup">',
      )
      expect(form.body).toContain(`name="authorId" value="${row.authorId}"`)
      expect(form.body).toContain('Selected: <span class="ac-current">Bob</span>.')
      expect(form.body).not.toContain('<option value="1">Ann</option>')
      const res = await client.get("/admin/blog/author/lookup?q=BOB", {
        headers: { accept: "application/json" },
      })
      expect([res.status, await res.json()]).toEqual([
        200,
        [{ id: String(row.authorId), label: "Bob" }],
      ])
      const byId = await client.get(`/admin/blog/author/lookup?q=${row.authorId}`)
      expect(await byId.json()).toEqual([{ id: String(row.authorId), label: "Bob" }])
      const nobody = await loginAs(app2, "nobody@example.com")
      expect((await nobody.get("/admin/blog/author/lookup?q=b")).status).toBe(403)
    })

    it("sorts by a column, both ways", async () => {
      expect(titles((await html(root, "/admin/blog/post/?o=title")).body).slice(0, 3)).toEqual([
        "Alpha",
        "Bravo",
        "Charlie 50%_off",
      ])
      const desc = await html(root, "/admin/blog/post/?o=-views")
      expect(titles(desc.body).slice(0, 2)).toEqual([
        "Golf &lt;script&gt;alert(1)&lt;/script&gt;",
        "Foxtrot",
      ])
      expect(desc.body).toContain(
        '<th scope="col" aria-sort="descending"><a class="sort sort-descending" href="/admin/blog/post/?o=views">Views</a></th>',
      )
      // a key that is not a column is ignored
      expect(titles((await html(root, "/admin/blog/post/?o=password")).body)[0]).toBe(
        "Golf &lt;script&gt;alert(1)&lt;/script&gt;",
      )
    })

    it("searches with escaped wildcards, case-insensitively, across author.email", async () => {
      expect(titles((await html(root, "/admin/blog/post/?q=%25_")).body)).toEqual([
        "Charlie 50%_off",
      ])
      expect(titles((await html(root, "/admin/blog/post/?q=ALPHA")).body)).toEqual(["Alpha"])
      const bob = await html(root, "/admin/blog/post/?q=bob%40example")
      expect(titles(bob.body)).toEqual(["Foxtrot", "Charlie 50%_off", "Bravo"])
      expect(bob.body).toContain("1–3 of 3 posts")
      expect(titles((await html(root, "/admin/blog/post/?q=bob+charlie")).body)).toEqual([
        "Charlie 50%_off",
      ])
    })

    it("filters by choices, booleans, foreign keys and date ranges", async () => {
      expect(titles((await html(root, "/admin/blog/post/?status=published")).body)).toEqual([
        "Foxtrot",
        "Charlie 50%_off",
        "Alpha",
      ])
      expect(titles((await html(root, "/admin/blog/post/?featured=1")).body)).toEqual([
        "Delta",
        "Alpha",
      ])
      const ann = await db.query(Author).get({ email: "ann@example.com" })
      expect(
        titles((await html(root, `/admin/blog/post/?authorId=${ann.id}&status=draft`)).body),
      ).toEqual(["Golf &lt;script&gt;alert(1)&lt;/script&gt;", "Echo", "Delta"])
      const range = await html(
        root,
        "/admin/blog/post/?createdAt_from=2026-02-01&createdAt_to=2026-04-05",
      )
      expect(titles(range.body)).toEqual(["Delta", "Charlie 50%_off", "Bravo"])
      expect(titles((await html(root, "/admin/blog/post/?status=bogus")).body)).toHaveLength(5)
    })

    it("adds a post with a foreign key, many-to-many links and typed values, and logs it", async () => {
      const ann = await db.query(Author).get({ email: "ann@example.com" })
      const tags = await db.query(Tag).orderBy("name").all()
      const res = await submit(root, "/admin/blog/post/add", "/admin/blog/post/add", {
        title: "Hotel",
        slug: "hotel",
        body: "Text",
        status: "published",
        authorId: String(ann.id),
        tags: tags.map((t) => String(t.id)),
        price: "12.5",
        featured: "on",
        publishedOn: "2026-08-01",
        createdAt: "2026-08-01T09:30",
        meta: '{"seo": true}',
        views: "999",
        _save: "1",
      })
      expect([res.status, res.headers.get("location")]).toEqual([303, "/admin/blog/post/"])
      const row = await db.query(Post).get({ slug: "hotel" })
      expect({ ...row, id: 0 }).toEqual({
        id: 0,
        title: "Hotel",
        slug: "hotel",
        body: "Text",
        status: "published",
        views: 0,
        price: "12.50",
        featured: true,
        publishedOn: "2026-08-01",
        createdAt: new Date("2026-08-01T09:30:00Z"),
        meta: { seo: true },
        authorId: ann.id,
      })
      const linked = await db.query(Post).related(row.id, "tags").query().orderBy("name").all()
      expect(linked.map((t) => t.name)).toEqual(["news", "orm"])
      const list = await html(root, "/admin/blog/post/")
      expect(list.body).toContain("The post “Hotel” was added.")
      const log = await db
        .query(LogEntry)
        .filter({ objectId: String(row.id), modelName: "post" })
        .all()
      expect(log.map((e) => [e.action, e.userEmail, e.objectRepr])).toEqual([
        ["add", "root@example.com", "Hotel"],
      ])
      expect(log[0]?.changes.map((ch) => ch.field)).toEqual([
        "Title",
        "Slug",
        "Body",
        "Status",
        "Author",
        "Tags",
        "Price",
        "Featured",
        "Published on",
        "Created at",
        "Meta",
      ])
    })

    it("re-renders invalid values with messages next to the fields and saves nothing", async () => {
      const before = await db.query(Post).count()
      const res = await submit(root, "/admin/blog/post/add", "/admin/blog/post/add", {
        title: "",
        slug: "bad slug!",
        status: "archived",
        authorId: "99999",
        price: "12,5",
        publishedOn: "2026-13-45",
        createdAt: "yesterday",
        meta: "{oops",
      })
      expect(res.status).toBe(422)
      const body = await res.text()
      const errorOf = (key: string) =>
        new RegExp(`<ul class="errorlist" id="id_${key}_error"><li>([^<]+)</li>`).exec(body)?.[1]
      expect({
        title: errorOf("title"),
        status: errorOf("status"),
        price: errorOf("price"),
        publishedOn: errorOf("publishedOn"),
        createdAt: errorOf("createdAt"),
        meta: errorOf("meta"),
      }).toEqual({
        title: "This field is required.",
        status: "Select a valid choice.",
        price: "Enter a number.",
        publishedOn: "Enter a valid date.",
        createdAt: "Enter a valid date and time.",
        meta: "Enter valid JSON.",
      })
      expect(body).toContain('value="bad slug!"')
      expect(await db.query(Post).count()).toBe(before)
    })

    it("shows the model's own messages and unique violations next to the field", async () => {
      const ann = await db.query(Author).get({ email: "ann@example.com" })
      const base = { title: "India", status: "draft", authorId: String(ann.id) }
      const dup = await submit(root, "/admin/blog/post/add", "/admin/blog/post/add", {
        ...base,
        slug: "post-1",
      })
      expect(dup.status).toBe(422)
      expect(await dup.text()).toContain(
        '<ul class="errorlist" id="id_slug_error"><li>A post with this slug already exists.</li></ul>',
      )
      const bad = await submit(root, "/admin/blog/post/add", "/admin/blog/post/add", {
        ...base,
        slug: "not a slug",
      })
      expect(bad.status).toBe(422)
      const message = /id="id_slug_error"><li>([^<]+)</.exec(await bad.text())?.[1]
      const orm = await Post.createSchema["~standard"].validate({
        ...base,
        authorId: ann.id,
        slug: "not a slug",
      })
      expect(message).toBe(
        orm.issues?.[0]?.message.replaceAll("'", "&#39;").replaceAll('"', "&#34;"),
      )
      expect(await db.query(Post).filter({ title: "India" }).count()).toBe(0)
    })

    it("changes a post, ignores read-only and unknown fields in a crafted POST, and shows the diff in history", async () => {
      const row = await db.query(Post).get({ slug: "post-2" })
      const res = await submit(
        root,
        `/admin/blog/post/${row.id}/change`,
        `/admin/blog/post/${row.id}/change`,
        {
          title: "Bravo edited",
          slug: "post-2",
          status: "published",
          authorId: String(row.authorId),
          createdAt: "2026-02-05T10:00",
          views: "12345",
          id: "777",
          "inl0-TOTAL": "0",
          _continue: "1",
        } as Record<string, string>,
      )
      expect([res.status, res.headers.get("location")]).toEqual([
        303,
        `/admin/blog/post/${row.id}/change`,
      ])
      const saved = await db.query(Post).get({ id: row.id })
      expect([saved.title, saved.status, saved.views]).toEqual(["Bravo edited", "published", 10])
      const history = await html(root, `/admin/blog/post/${row.id}/history`)
      expect(history.status).toBe(200)
      expect(history.body).toContain(
        "<li><strong>Title</strong>: <del>Bravo</del> → <ins>Bravo edited</ins></li>",
      )
      expect(history.body).toContain(
        "<li><strong>Status</strong>: <del>draft</del> → <ins>published</ins></li>",
      )
      expect(history.body).not.toContain("<strong>Views</strong>")
    })

    it("edits inline comments on the post's page: adds, changes and deletes rows", async () => {
      const row = await db.query(Post).get({ slug: "post-3" })
      const keep = await db.query(Comment).create({ postId: row.id, body: "first" })
      const gone = await db.query(Comment).create({ postId: row.id, body: "second" })
      const other = await db.query(Post).get({ slug: "post-4" })
      const foreign = await db.query(Comment).create({ postId: other.id, body: "not yours" })
      const res = await submit(
        root,
        `/admin/blog/post/${row.id}/change`,
        `/admin/blog/post/${row.id}/change`,
        {
          title: row.title,
          slug: row.slug,
          status: row.status,
          authorId: String(row.authorId),
          createdAt: row.createdAt.toISOString().slice(0, 16),
          "inl0-TOTAL": "4",
          "inl0-0-id": String(keep.id),
          "inl0-0-body": "first, edited",
          "inl0-1-id": String(gone.id),
          "inl0-1-body": "second",
          "inl0-1-DELETE": "on",
          "inl0-2-id": String(foreign.id),
          "inl0-2-body": "hijacked",
          "inl0-3-id": "",
          "inl0-3-body": "third",
        },
      )
      expect(res.status).toBe(303)
      const comments = await db.query(Comment).filter({ postId: row.id }).orderBy("id").all()
      expect(comments.map((c) => c.body)).toEqual(["first, edited", "third"])
      expect((await db.query(Comment).get({ id: foreign.id })).body).toBe("not yours")
      const page = await html(root, `/admin/blog/post/${row.id}/change`)
      expect(page.body).toContain('name="inl0-0-body" value="first, edited"')
      expect(page.body).toContain('<input type="hidden" name="inl0-TOTAL" value="3">')
    })

    it("lets a view-only user read but refuses every write with 403, changing nothing", async () => {
      const viewer = await loginAs(app, "viewer@example.com")
      const row = await db.query(Post).get({ slug: "post-5" })
      const page = await html(viewer, `/admin/blog/post/${row.id}/change`)
      expect(page.status).toBe(200)
      expect(page.body).toContain("<h1>View post</h1>")
      expect(page.body).not.toContain('name="_save"')
      expect(page.body).not.toContain("Delete selected")
      const token = csrfOf(page.body)
      const attempts = [
        viewer.form(`/admin/blog/post/${row.id}/change`, {
          _csrf: token,
          title: "hacked",
          slug: "post-5",
          status: "draft",
          authorId: String(row.authorId),
        }),
        viewer.form("/admin/blog/post/add", {
          _csrf: token,
          title: "new",
          slug: "new",
          status: "draft",
          authorId: String(row.authorId),
        }),
        viewer.form(`/admin/blog/post/${row.id}/delete`, { _csrf: token }),
        viewer.form("/admin/blog/post/", {
          _csrf: token,
          action: "delete_selected",
          _selected: String(row.id),
          confirm: "yes",
        }),
        viewer.form("/admin/blog/post/", {
          _csrf: token,
          action: "publish",
          _selected: String(row.id),
        }),
      ]
      expect((await Promise.all(attempts)).map((r) => r.status)).toEqual([403, 403, 403, 403, 403])
      expect(await db.query(Post).get({ id: row.id })).toEqual(row)
      expect(await db.query(Post).filter({ slug: "new" }).count()).toBe(0)
      await grant(db, "viewer@example.com", [
        "blog.view_post",
        "blog.view_author",
        "blog.change_post",
      ])
      const allowed = await html(viewer, `/admin/blog/post/${row.id}/change`)
      expect(allowed.body).toContain("<h1>Change post</h1>")
      expect(allowed.body).toContain('name="_save"')
      expect(allowed.body).not.toContain("Save and add another")
    })

    it("refuses a POST without a CSRF token", async () => {
      const res = await root.form("/admin/blog/post/add", { title: "x" })
      expect(res.status).toBe(403)
    })

    it("answers 404 for a malformed id, a missing id and an unregistered model", async () => {
      const statuses = await Promise.all(
        [
          "/admin/blog/post/abc/change",
          "/admin/blog/post/0/change",
          "/admin/blog/post/999999/delete",
          "/admin/blog/post/1e3/history",
          "/admin/blog/nothing/",
        ].map(async (p) => (await root.get(p)).status),
      )
      expect(statuses).toEqual([404, 404, 404, 404, 404])
      expect((await html(root, "/admin/blog/post/999999/change")).body).toContain(
        "There is no post with id &#34;999999&#34;.",
      )
    })

    it("deletes a post after a confirmation listing its cascading comments", async () => {
      const row = await db.query(Post).get({ slug: "post-6" })
      await db.query(Comment).create({ postId: row.id, body: "will go" })
      const confirm = await html(root, `/admin/blog/post/${row.id}/delete`)
      expect(confirm.status).toBe(200)
      expect(confirm.body).toContain("Are you sure you want to delete the post “Foxtrot”?")
      expect(confirm.body).toContain(
        '<li><strong>Comments:</strong> 1 <span class="muted">(through post)</span>',
      )
      expect(confirm.body).toContain("<li>will go</li>")
      const res = await submit(
        root,
        `/admin/blog/post/${row.id}/delete`,
        `/admin/blog/post/${row.id}/delete`,
        {},
      )
      expect([res.status, res.headers.get("location")]).toEqual([303, "/admin/blog/post/"])
      expect(await db.query(Post).filter({ id: row.id }).count()).toBe(0)
      expect(await db.query(Comment).filter({ postId: row.id }).count()).toBe(0)
      const log = await db
        .query(LogEntry)
        .filter({ objectId: String(row.id), modelName: "post", action: "delete" })
        .count()
      expect(log).toBe(1)
    })

    it("refuses to delete an author that a protected award references, naming it", async () => {
      const bob = await db.query(Author).get({ email: "bob@example.com" })
      await db.query(Award).create({ title: "Best of 2026", authorId: bob.id })
      const page = await html(root, `/admin/blog/author/${bob.id}/delete`)
      expect(page.status).toBe(409)
      expect(page.body).toContain("<h1>Cannot delete author</h1>")
      expect(page.body).toContain(
        '<li><strong>Awards</strong> <span class="muted">(1, through author)</span>',
      )
      expect(page.body).toContain("<li>Best of 2026</li>")
      expect(page.body).not.toContain("Yes, I’m sure")
      const res = await root.form(`/admin/blog/author/${bob.id}/delete`, {
        _csrf: csrfOf(page.body),
      })
      expect(res.status).toBe(409)
      expect(await db.query(Author).filter({ id: bob.id }).count()).toBe(1)
    })

    it("bulk-deletes selected rows after a confirmation page, and all rows matching a filter across pages", async () => {
      const ids = (
        await db
          .query(Post)
          .filter({ slug: { in: ["post-1", "post-4"] } })
          .orderBy("id")
          .all()
      ).map((r) => String(r.id))
      const list = await html(root, "/admin/blog/post/")
      const token = csrfOf(list.body)
      const confirm = await root.form("/admin/blog/post/", {
        _csrf: token,
        action: "delete_selected",
        _selected: ids,
      })
      expect(confirm.status).toBe(200)
      const body = await confirm.text()
      expect(body).toContain("Are you sure you want to delete these 2 posts?")
      expect(
        [...body.matchAll(/<input type="hidden" name="_selected" value="(\d+)">/g)].map(
          (m) => m[1],
        ),
      ).toEqual(ids)
      expect(
        await db
          .query(Post)
          .filter({ id: { in: ids.map(Number) } })
          .count(),
      ).toBe(2)
      const done = await root.form("/admin/blog/post/", {
        _csrf: csrfOf(body),
        action: "delete_selected",
        _selected: ids,
        confirm: "yes",
      })
      expect(done.status).toBe(303)
      expect(
        await db
          .query(Post)
          .filter({ id: { in: ids.map(Number) } })
          .count(),
      ).toBe(0)
      expect((await html(root, "/admin/blog/post/")).body).toContain("Deleted 2 posts.")
      const drafts = await db.query(Post).filter({ status: "draft" }).count()
      expect(drafts).toBeGreaterThan(0)
      const across = await root.form("/admin/blog/post/?status=draft", {
        _csrf: token,
        action: "delete_selected",
        select_across: "1",
        confirm: "yes",
      })
      expect([across.status, across.headers.get("location")]).toEqual([
        303,
        "/admin/blog/post/?status=draft",
      ])
      expect(await db.query(Post).filter({ status: "draft" }).count()).toBe(0)
    })

    it("runs a custom action on the selected rows with its message", async () => {
      const ann = await db.query(Author).get({ email: "ann@example.com" })
      const a = await db.query(Post).create({ title: "Juliet", slug: "juliet", authorId: ann.id })
      const b = await db.query(Post).create({ title: "Kilo", slug: "kilo", authorId: ann.id })
      const token = csrfOf((await html(root, "/admin/blog/post/")).body)
      const res = await root.form("/admin/blog/post/", {
        _csrf: token,
        action: "publish",
        _selected: [String(a.id), String(b.id)],
      })
      expect(res.status).toBe(303)
      expect(
        (
          await db
            .query(Post)
            .filter({ id: { in: [a.id, b.id] } })
            .orderBy("id")
            .all()
        ).map((r) => r.status),
      ).toEqual(["published", "published"])
      expect((await html(root, "/admin/blog/post/")).body).toContain("2 posts published.")
      const unknown = await root.form("/admin/blog/post/", {
        _csrf: token,
        action: "drop_tables",
        _selected: String(a.id),
      })
      expect(unknown.status).toBe(400)
    })

    it("sends strict security headers: a CSP with no inline script or style", async () => {
      const res = await root.get("/admin/")
      expect(res.headers.get("content-security-policy")).toBe(
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' data:; script-src 'self'; style-src 'self'",
      )
      expect(res.headers.get("x-frame-options")).toBe("DENY")
      const body = await res.text()
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      expect(body).not.toMatch(/\sstyle=/)
      const css = await root.get(
        `/admin/static/admin.css?v=${/admin\.css\?v=([0-9a-f]+)/.exec(body)?.[1]}`,
      )
      expect([
        css.status,
        css.headers.get("content-type"),
        css.headers.get("cache-control"),
      ]).toEqual([200, "text/css; charset=utf-8", "public, max-age=31536000, immutable"])
    })

    it("changes the staff user's password, checking the old one", async () => {
      await (await import("../../src/auth/index.js")).createUser(db, {
        email: "pw@example.com",
        password: PASSWORD,
        isStaff: true,
      })
      const client = await loginAs(app, "pw@example.com")
      const wrong = await submit(client, "/admin/password", "/admin/password", {
        old_password: "nope",
        new_password1: "another long passphrase",
        new_password2: "another long passphrase",
      })
      expect(wrong.status).toBe(422)
      expect(await wrong.text()).toContain(
        "Your old password was entered incorrectly. Enter it again.",
      )
      const ok = await submit(client, "/admin/password", "/admin/password", {
        old_password: PASSWORD,
        new_password1: "another long passphrase",
        new_password2: "another long passphrase",
      })
      expect([ok.status, ok.headers.get("location")]).toEqual([303, "/admin/"])
      expect((await html(client, "/admin/")).body).toContain("Your password was changed.")
    })
  })
}
