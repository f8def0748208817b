import { App } from "truss"
import { adminModels, createAdmin } from "truss/admin"
import {
  auth,
  authenticate,
  authModels,
  createUser,
  login,
  Permission,
  syncPermissions,
  User,
} from "truss/auth"
import { JobRecord, jobsAdmin, jobsModels } from "truss/jobs"
import { createTables, type Database } from "truss/orm"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testDatabases } from "../../../test/support/databases.js"

const PASSWORD = "a long admin passphrase"
const LIST = "/admin/jobs/job/"
const TARGETS = (await testDatabases()).filter((t) =>
  ["sqlite", "postgres", "mariadb"].includes(t.name),
)
const at = (iso: string) => new Date(iso).getTime()

function jobApp(db: Database): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: "jobs-admin-secret-jobs-admin-secret-0123", store: memoryStore() }))
  app.use(auth({ db }))
  app.post("/site-login", { csrf: false }, async (c) => {
    const f = await c.req.form()
    const user = await authenticate(db, String(f.get("email")), String(f.get("password")))
    if (user === undefined) return c.text("no", 401)
    await login(c, user)
    return c.text("ok")
  })
  app.register(jobsAdmin(createAdmin()).site({ db }))
  return app
}

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m?.[1]) throw new Error("no CSRF token on the page")
  return m[1]
}

async function loginAs(app: App, email: string): Promise<TestClient> {
  const client = createClient(app, { headers: { accept: "text/html" } })
  const token = csrfOf(await (await client.get("/admin/login")).text())
  const res = await client.form("/admin/login", { _csrf: token, email, password: PASSWORD })
  expect(res.status).toBe(303)
  return client
}

async function page(client: TestClient, path: string) {
  const res = await client.get(path)
  return { status: res.status, body: await res.text() }
}

/** The list's rows as the text of their cells. */
function rowsOf(body: string): string[][] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? ""
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...(tr[1] ?? "").matchAll(/<td class="cell-[a-z]+">([\s\S]*?)<\/td>/g)].map((td) =>
      (td[1] ?? "").replace(/<[^>]+>/g, "").trim(),
    ),
  )
}

/** The figures above the list: `state=count`. */
function summaryOf(body: string): string[] {
  return [
    ...body.matchAll(
      /<span class="summary-value">(\d+)<\/span><span class="summary-label">([a-z]+)<\/span>/g,
    ),
  ].map((m) => `${m[2]}=${m[1]}`)
}

async function grant(db: Database, email: string, codenames: string[]) {
  const user = await db.query(User).get({ email })
  const perms = await db
    .query(Permission)
    .filter({ codename: { in: codenames } })
    .all()
  await db.query(User).related(user.id, "userPermissions").set(perms)
}

for (const target of TARGETS) {
  describe.skipIf(!target.available)(`${target.name}: the jobs page of the admin`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    let root: TestClient
    const ids: Record<string, string> = {}

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      const models = [...authModels, ...adminModels, ...jobsModels]
      await createTables(db, models)
      await syncPermissions(db, models)
      await createUser(db, {
        email: "root@example.com",
        password: PASSWORD,
        isStaff: true,
        isSuperuser: true,
      })
      await createUser(db, { email: "viewer@example.com", password: PASSWORD, isStaff: true })
      await grant(db, "viewer@example.com", ["app.view_trussjob"])
      await createUser(db, { email: "plain@example.com", password: PASSWORD })
      const base = { priority: 0, lockedUntil: null, idemKey: null, uniqueKey: null }
      const jobs = [
        ["welcome", "sendMail", "default", "queued", 0, 3, "2026-12-01T10:00:00Z", null, null],
        [
          "bounced",
          "sendMail",
          "default",
          "dead",
          3,
          3,
          "2026-12-01T11:00:00Z",
          "SMTP refused: 550 mailbox unavailable\nat the second line",
          "Error: SMTP refused: 550 mailbox unavailable\n    at send (mail.ts:10:5)",
        ],
        ["thumb", "resizeImage", "media", "running", 1, 5, "2026-12-01T12:00:00Z", null, null],
        ["poster", "resizeImage", "media", "done", 1, 5, "2026-12-01T13:00:00Z", null, null],
        ["refund", "chargeCard", "payments", "cancelled", 0, 3, "2026-12-01T14:00:00Z", null, null],
        [
          "card",
          "chargeCard",
          "payments",
          "dead",
          2,
          2,
          "2026-12-01T15:00:00Z",
          "Card declined <script>alert(1)</script>",
          null,
        ],
      ] as const
      for (const [
        i,
        [key, name, queue, state, attempts, max, runAt, error, stack],
      ] of jobs.entries()) {
        const row = await db.query(JobRecord).create({
          ...base,
          name,
          queue,
          state,
          attempts,
          maxAttempts: max,
          runAt: BigInt(at(runAt)),
          payload: JSON.stringify({ key, note: "<b>bold</b>", n: i }),
          error,
          stack,
          createdAt: BigInt(at(runAt) - 60_000),
          finishedAt: state === "done" || state === "dead" ? BigInt(at(runAt) + 1000) : null,
        })
        ids[key] = row.id
      }
      app = jobApp(db)
      root = await loginAs(app, "root@example.com")
    })
    afterAll(() => drop())

    it("lists a Jobs section on the index", async () => {
      const { status, body } = await page(root, "/admin/")
      expect(status).toBe(200)
      expect(body).toContain('<h2 id="app-jobs" class="card-title">Jobs</h2>')
      expect(body).toContain(`<th scope="row"><a href="${LIST}">Jobs</a></th>`)
      expect(body).not.toContain("/admin/jobs/job/add")
    })

    it("lists jobs newest first with name, state, attempts, run at (UTC, to the minute) and the error's first line", async () => {
      const { status, body } = await page(root, LIST)
      expect(status).toBe(200)
      expect(rowsOf(body)).toEqual([
        [
          "chargeCard",
          "dead",
          "2 / 2",
          "2026-12-01 15:00",
          "Card declined &lt;script&gt;alert(1)&lt;/script&gt;",
        ],
        ["chargeCard", "cancelled", "0 / 3", "2026-12-01 14:00", ""],
        ["resizeImage", "done", "1 / 5", "2026-12-01 13:00", ""],
        ["resizeImage", "running", "1 / 5", "2026-12-01 12:00", ""],
        ["sendMail", "dead", "3 / 3", "2026-12-01 11:00", "SMTP refused: 550 mailbox unavailable"],
        ["sendMail", "queued", "0 / 3", "2026-12-01 10:00", ""],
      ])
      expect(summaryOf(body)).toEqual(["queued=1", "running=1", "done=1", "dead=2", "cancelled=1"])
      expect(body).toContain('<a href="/admin/jobs/job/?state=dead" class="summary-item">')
      expect(body).not.toContain("Add job")
    })

    it("filters by state and queue, and searches by name", async () => {
      const names = async (q: string) =>
        rowsOf((await page(root, `${LIST}?${q}`)).body).map((r) => `${r[0]}:${r[1]}`)
      expect(await names("state=dead")).toEqual(["chargeCard:dead", "sendMail:dead"])
      expect(await names("queue=media")).toEqual(["resizeImage:done", "resizeImage:running"])
      expect(await names("queue=payments&state=cancelled")).toEqual(["chargeCard:cancelled"])
      expect(await names("q=mail")).toEqual(["sendMail:dead", "sendMail:queued"])
      expect(await names("state=nonsense")).toHaveLength(6)
      const media = await page(root, `${LIST}?queue=media`)
      expect(summaryOf(media.body)).toEqual([
        "queued=0",
        "running=1",
        "done=1",
        "dead=0",
        "cancelled=0",
      ])
      const sidebar = /<aside class="filters card"[\s\S]*?<\/aside>/.exec(media.body)?.[0] ?? ""
      expect(
        [...sidebar.matchAll(/<li><a href="[^"]*"[^>]*>([^<]+)<\/a><\/li>/g)].map((m) => m[1]),
      ).toEqual([
        "All",
        "queued",
        "running",
        "done",
        "dead",
        "cancelled",
        "All",
        "default",
        "media",
        "payments",
      ])
    })

    it("shows the payload as indented, escaped JSON with the error and stack, read-only", async () => {
      const { status, body } = await page(root, `${LIST}${ids.bounced}/change`)
      expect(status).toBe(200)
      expect(body).toContain("<h1>View job</h1>")
      expect(body).toContain(
        "{\n  &#34;key&#34;: &#34;bounced&#34;,\n  &#34;note&#34;: &#34;&lt;b&gt;bold&lt;/b&gt;&#34;,\n  &#34;n&#34;: 1\n}</pre>",
      )
      expect(body).toContain(
        ">Error: SMTP refused: 550 mailbox unavailable\n    at send (mail.ts:10:5)</pre>",
      )
      expect(body).toContain(">SMTP refused: 550 mailbox unavailable\nat the second line</div>")
      expect(body).toContain(">2026-12-01 11:00:00 UTC</div>")
      expect(body).not.toContain('name="_save"')
      expect(body).toContain(`href="${LIST}${ids.bounced}/delete"`)
      const token = csrfOf(body)
      const add = await root.get(`${LIST}add`)
      expect(add.status).toBe(403)
      expect(await add.text()).toContain(
        "The admin shows job rows read-only: they are not added or edited in a form (editable: false).",
      )
      const post = await root.form(`${LIST}${ids.bounced}/change`, { _csrf: token, name: "x" })
      expect(post.status).toBe(403)
      expect((await db.query(JobRecord).get({ id: ids.bounced })).name).toBe("sendMail")
    })

    it("retries a dead job (queued again, attempts reset) and leaves a queued one alone", async () => {
      const token = csrfOf((await page(root, LIST)).body)
      const res = await root.form(LIST, {
        _csrf: token,
        action: "retry",
        _selected: [ids.bounced ?? "", ids.welcome ?? ""],
      })
      expect([res.status, res.headers.get("location")]).toEqual([303, LIST])
      const after = await page(root, LIST)
      expect(after.body).toContain(
        '<div class="flash flash-success" role="status">Queued 1 job again. 1 not dead or cancelled, left as they were.</div>',
      )
      const row = await db.query(JobRecord).get({ id: ids.bounced })
      expect([row.state, row.attempts, row.error, row.stack, row.finishedAt]).toEqual([
        "queued",
        0,
        null,
        null,
        null,
      ])
      expect(summaryOf(after.body)).toEqual([
        "queued=2",
        "running=1",
        "done=1",
        "dead=1",
        "cancelled=1",
      ])
    })

    it("deletes jobs after the admin's confirmation page, with CSRF", async () => {
      const noToken = await root.form(LIST, {
        action: "delete_selected",
        _selected: ids.poster ?? "",
      })
      expect(noToken.status).toBe(403)
      const token = csrfOf((await page(root, LIST)).body)
      const confirm = await root.form(LIST, {
        _csrf: token,
        action: "delete_selected",
        _selected: [ids.poster ?? "", ids.refund ?? ""],
      })
      expect(confirm.status).toBe(200)
      const body = await confirm.text()
      expect(body).toContain("Are you sure you want to delete these 2 jobs?")
      expect(await db.query(JobRecord).count()).toBe(6)
      const done = await root.form(LIST, {
        _csrf: csrfOf(body),
        action: "delete_selected",
        _selected: [ids.poster ?? "", ids.refund ?? ""],
        confirm: "yes",
      })
      expect(done.status).toBe(303)
      expect(
        await db
          .query(JobRecord)
          .filter({ id: { in: [ids.poster ?? "", ids.refund ?? ""] } })
          .count(),
      ).toBe(0)
      expect(await db.query(JobRecord).count()).toBe(4)
    })

    it("lets a viewer see jobs but not retry or delete them, and refuses a user who is not staff", async () => {
      const viewer = await loginAs(app, "viewer@example.com")
      const list = await page(viewer, LIST)
      expect(list.status).toBe(200)
      expect(rowsOf(list.body)).toHaveLength(4)
      expect(list.body).not.toContain('value="retry"')
      const token = csrfOf(list.body)
      const attempts = await Promise.all([
        viewer.form(LIST, { _csrf: token, action: "retry", _selected: ids.card ?? "" }),
        viewer.form(LIST, {
          _csrf: token,
          action: "delete_selected",
          _selected: ids.card ?? "",
          confirm: "yes",
        }),
        viewer.form(`${LIST}${ids.card}/delete`, { _csrf: token }),
      ])
      expect(attempts.map((r) => r.status)).toEqual([403, 403, 403])
      expect((await db.query(JobRecord).get({ id: ids.card })).state).toBe("dead")
      const plain = createClient(app, { headers: { accept: "text/html" } })
      expect(
        (await plain.form("/site-login", { email: "plain@example.com", password: PASSWORD }))
          .status,
      ).toBe(200)
      expect((await plain.get(LIST)).status).toBe(403)
      expect((await plain.get(`${LIST}${ids.card}/change`)).status).toBe(403)
    })
  })
}
