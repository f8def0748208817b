import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { App, type TrussServer } from "truss"
import { adminModels, createAdmin } from "truss/admin"
import { auth, authModels, createUser } from "truss/auth"
import { DatabaseBackend, JobRecord, jobsAdmin, jobsModels } from "truss/jobs"
import { connect, createTables, type Database } from "truss/orm"
import { memoryStore, sessions } from "truss/sessions"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seriousViolations } from "../../../test/browser/admin-support.js"
import { browserTestsEnabled, launchChromium } from "../../../test/support/browser.js"

const SHOTS = join(tmpdir(), "truss-screenshots")
const PASSWORD = "a long admin passphrase"
const enabled = browserTestsEnabled("jobs admin browser test")

describe.skipIf(!enabled)("the jobs page of the admin in Chromium", () => {
  let db: Database
  let server: TrussServer
  let browser: Browser
  let page: Page
  let dead: string
  const errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    db = await connect("sqlite::memory:")
    await createTables(db, [...authModels, ...adminModels, ...jobsModels])
    await createUser(db, {
      email: "root@example.com",
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    })
    const backend = new DatabaseBackend(db)
    const base = { priority: 0, maxAttempts: 3, runAt: Date.now(), key: null, unique: null }
    const [mail, , thumb] = await backend.insert([
      {
        ...base,
        name: "sendWelcomeMail",
        queue: "default",
        payload: '{"to":"ann@example.com","template":"welcome"}',
      },
      { ...base, name: "resizeImage", queue: "media", payload: '{"upload":41,"sizes":[64,256]}' },
      {
        ...base,
        name: "chargeCard",
        queue: "payments",
        payload: '{"order":"A-1009","cents":4200}',
      },
    ])
    dead = mail ?? ""
    const [claimed] = await backend.claim("default", 1, 30_000)
    await backend.finish(claimed?.id ?? "", "dead", {
      error: new Error("SMTP refused: 550 mailbox unavailable <ann@example.com>"),
    })
    await backend.claim("payments", 1, 30_000)
    expect(thumb).toBeDefined()
    const app = new App({ logger: false })
    app.use(sessions({ secret: "jobs-admin-browser-secret-0123456789ab", store: memoryStore() }))
    app.use(auth({ db }))
    app.register(jobsAdmin(createAdmin()).site({ db }))
    server = await app.listen({ port: 0, host: "127.0.0.1", signals: false })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on("pageerror", (err) => errors.push(err.message))
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text())
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it("shows the counts, the list and a dead job's detail page in the admin's look", async () => {
    await page.goto(`${server.url}/admin/jobs/job/`)
    await page.fill("#id_email", "root@example.com")
    await page.fill("#id_password", PASSWORD)
    await Promise.all([
      page.waitForURL(`${server.url}/admin/jobs/job/`),
      page.click("button[type=submit]"),
    ])
    expect(await page.$$eval(".summary-item", (as) => as.map((a) => a.textContent))).toEqual([
      "1queued",
      "1running",
      "0done",
      "1dead",
      "0cancelled",
    ])
    expect(await page.$$eval("table.result-list tbody tr", (trs) => trs.length)).toBe(3)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: join(SHOTS, "jobs-list.png"), fullPage: true })
    await page.goto(`${server.url}/admin/jobs/job/${dead}/change`)
    expect(await page.textContent("h1")).toBe("View job")
    expect(await page.textContent("pre.readonly.code")).toBe(
      '{\n  "to": "ann@example.com",\n  "template": "welcome"\n}',
    )
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: join(SHOTS, "jobs-detail.png"), fullPage: true })
    expect(errors).toEqual([])
    expect((await db.query(JobRecord).get({ id: dead })).state).toBe("dead")
  })
})
