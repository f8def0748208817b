import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import type { TrussServer } from "truss"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, type Database } from "../../src/orm/index.js"
import { Author, adminApp, Comment, PASSWORD, Post, seedUsers, Tag } from "../admin/fixture.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"
import { seriousViolations } from "./admin-support.js"

const enabled = browserTestsEnabled("admin browser test")
const SHOTS = join(tmpdir(), "truss-screenshots")

describe.skipIf(!enabled)("the admin in Chromium", () => {
  let db: Database
  let server: TrussServer
  let browser: Browser
  let page: Page
  let base: string
  const errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    db = await connect("sqlite::memory:")
    await seedUsers(db)
    const ann = await db.query(Author).create({ name: "Ann Lee", email: "ann@example.com" })
    const bob = await db.query(Author).create({ name: "Bob Stone", email: "bob@example.com" })
    await db.query(Tag).bulkCreate([{ name: "news" }, { name: "orm" }, { name: "release" }])
    const titles = [
      "Hello world",
      "Shipping the ORM",
      "Release notes 0.2",
      "Why server-rendered admin",
      "Dark mode everywhere",
      "Keyset pagination",
    ]
    for (const [i, title] of titles.entries()) {
      await db.query(Post).create({
        title,
        slug: `post-${i + 1}`,
        authorId: i % 2 ? bob.id : ann.id,
        status: i % 2 ? "published" : "draft",
        views: i * 17,
        featured: i % 3 === 0,
      })
    }
    await db.query(Comment).create({ postId: 1, body: "Nice post" })
    server = await adminApp(db).listen({ port: 0, host: "127.0.0.1", signals: false })
    base = server.url
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    page.on("pageerror", (err) => errors.push(err.message))
    page.on("console", (msg) => {
      // a 422 form page is an expected "failed" resource; script errors and CSP refusals are not
      if (msg.type() === "error" && !/status of 422/.test(msg.text())) errors.push(msg.text())
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function shoot(name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `admin-${name}.png`), fullPage: true })
  }
  async function go(path: string): Promise<void> {
    await page.goto(`${base}${path}`)
  }
  async function submitVia(selector: string): Promise<void> {
    await Promise.all([
      page.waitForLoadState("load"),
      page.waitForNavigation(),
      page.click(selector),
    ])
  }
  const flash = () => page.textContent(".flashes .flash")
  const listTitles = () =>
    page.$$eval("table.result-list tbody tr td:nth-child(2) a", (as) =>
      as.map((a) => a.textContent),
    )

  it("logs a staff user in and shows the index, with no serious accessibility violations", async () => {
    await go("/admin/")
    expect(page.url()).toBe(`${base}/admin/login?next=%2Fadmin%2F`)
    expect(await seriousViolations(page)).toEqual([])
    await shoot("login")
    await page.fill("#id_email", "root@example.com")
    await page.fill("#id_password", PASSWORD)
    await submitVia("button[type=submit]")
    expect(page.url()).toBe(`${base}/admin/`)
    expect(await page.textContent("h1")).toBe("Site administration")
    expect(await page.$$eval(".apps th a", (as) => as.map((a) => a.textContent))).toEqual([
      "Authors",
      "Tags",
      "Posts",
      "Comments",
      "Awards",
    ])
    expect(await seriousViolations(page)).toEqual([])
    await shoot("index")
  })

  it("adds a post with a foreign key and many-to-many tags, after fixing a validation error", async () => {
    await go("/admin/blog/post/")
    await submitVia("text=Add post")
    expect(page.url()).toBe(`${base}/admin/blog/post/add`)
    await page.fill("#id_title", "Admin in a browser")
    await page.fill("#id_slug", "admin in a browser")
    await page.selectOption("#id_authorId", { label: "Bob Stone" })
    await page.check("label:has-text('orm') input")
    await page.check("label:has-text('release') input")
    await page.fill("#id_meta", "{not json")
    await submitVia("button[name=_save]")
    expect(await page.textContent("#id_meta_error")).toBe("Enter valid JSON.")
    // the model's own slug check reports at the same time as the form's JSON check
    expect(await page.textContent("#id_slug_error")).toBe(
      (await Post.createSchema["~standard"].validate({ slug: "admin in a browser" })).issues?.find(
        (i) => i.path?.[0] === "slug",
      )?.message,
    )
    expect(await page.textContent("[role=alert]")).toBe("Please correct the errors below.")
    expect(await page.isChecked("label:has-text('orm') input")).toBe(true)
    expect(await seriousViolations(page)).toEqual([])
    await shoot("form-errors")
    await page.fill("#id_slug", "admin-in-a-browser")
    await page.fill("#id_meta", '{"seo": true}')
    await submitVia("button[name=_save]")
    expect(page.url()).toBe(`${base}/admin/blog/post/`)
    expect(await flash()).toBe("The post “Admin in a browser” was added.")
    const row = await db.query(Post).get({ slug: "admin-in-a-browser" })
    const tags = await db.query(Post).related(row.id, "tags").query().orderBy("name").all()
    expect([row.meta, tags.map((t) => t.name)]).toEqual([{ seo: true }, ["orm", "release"]])
    expect(await seriousViolations(page)).toEqual([])
    await shoot("list")
  })

  it("edits the post with save and continue, then sees the change in its history", async () => {
    await page.click("table.result-list >> text=Admin in a browser")
    await page.waitForURL(/\/change$/)
    expect(await seriousViolations(page)).toEqual([])
    await shoot("form")
    await page.fill("#id_title", "Admin in Chromium")
    await page.selectOption("#id_status", "published")
    await page.uncheck("label:has-text('release') input")
    await submitVia("button[name=_continue]")
    expect(page.url()).toMatch(/\/admin\/blog\/post\/\d+\/change$/)
    expect(await flash()).toBe("The post “Admin in Chromium” was changed.")
    await submitVia("text=History")
    const newest = "table.history tbody tr:first-child ul.diff li"
    expect(await page.$$eval(newest, (lis) => lis.map((li) => li.textContent))).toEqual([
      "Title: Admin in a browser → Admin in Chromium",
      "Status: draft → published",
      "Tags: orm, release → orm",
    ])
    await shoot("history")
  })

  it("searches, filters and sorts the list", async () => {
    await go("/admin/blog/post/")
    await page.fill("#searchbar", "chromium")
    await submitVia(".searchbar button[type=submit]")
    expect(await listTitles()).toEqual(["Admin in Chromium"])
    await go("/admin/blog/post/")
    await submitVia(".filter >> text=published")
    expect(page.url()).toBe(`${base}/admin/blog/post/?status=published`)
    expect(await listTitles()).toEqual([
      "Admin in Chromium",
      "Keyset pagination",
      "Why server-rendered admin",
      "Shipping the ORM",
    ])
    await page.selectOption("#filter-authorId", { label: "Ann Lee" })
    await page.waitForURL(/authorId=/)
    expect(await listTitles()).toEqual([])
    expect(await page.textContent(".empty p")).toBe("No posts match this search or these filters.")
    await go("/admin/blog/post/?status=draft")
    await submitVia("th >> text=Title")
    expect(await listTitles()).toEqual(["Dark mode everywhere", "Hello world", "Release notes 0.2"])
    expect(await page.getAttribute("th[aria-sort=ascending]", "aria-sort")).toBe("ascending")
  })

  it("bulk-deletes with select-all and a confirmation page listing cascades", async () => {
    await go("/admin/blog/post/?status=draft")
    await page.check("#select-all")
    expect(await page.$$eval("input[name=_selected]:checked", (els) => els.length)).toBe(3)
    expect(await page.textContent("#selected-count")).toBe("3")
    await page.selectOption("#action-select", "delete_selected")
    await submitVia("#action-bar button[type=submit]")
    expect(await page.textContent("h1")).toBe("Are you sure?")
    expect(await page.textContent("main .card > p")).toContain(
      "Are you sure you want to delete these 3 posts?",
    )
    expect(await page.textContent(".affected")).toContain("Comments: 1")
    expect(await seriousViolations(page)).toEqual([])
    await shoot("delete-selected")
    await submitVia("text=Yes, I’m sure")
    expect(await flash()).toBe("Deleted 3 posts.")
    expect(await db.query(Post).filter({ status: "draft" }).count()).toBe(0)
    expect(await db.query(Comment).count()).toBe(0)
  })

  it("deletes one post from its change page", async () => {
    await go("/admin/blog/post/")
    await page.click("table.result-list >> text=Keyset pagination")
    await page.waitForURL(/\/change$/)
    await submitVia("a.button.danger")
    expect(await page.textContent("main .card > p")).toContain(
      "Are you sure you want to delete the post “Keyset pagination”?",
    )
    expect(await seriousViolations(page)).toEqual([])
    await shoot("delete")
    await submitVia("text=Yes, I’m sure")
    expect(await flash()).toBe("The post “Keyset pagination” was deleted.")
    expect(await db.query(Post).filter({ title: "Keyset pagination" }).count()).toBe(0)
  })

  it("fits a phone screen, and the dark scheme passes axe too", async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    for (const [name, path] of [
      ["index", "/admin/"],
      ["list", "/admin/blog/post/"],
      ["form", "/admin/blog/post/add"],
    ] as const) {
      await go(path)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow, name).toBe(0)
      await shoot(`${name}-phone`)
    }
    await page.setViewportSize({ width: 1280, height: 860 })
    await page.emulateMedia({ colorScheme: "dark" })
    await go("/admin/blog/post/")
    expect(await seriousViolations(page)).toEqual([])
    await shoot("list-dark")
    await page.emulateMedia({ colorScheme: "light" })
  })

  it("shows a view-only user the form read-only and refuses a non-staff user", async () => {
    const ctx = await browser.newContext()
    const viewer = await ctx.newPage()
    await viewer.goto(`${base}/admin/login`)
    await viewer.fill("#id_email", "viewer@example.com")
    await viewer.fill("#id_password", PASSWORD)
    await Promise.all([viewer.waitForURL(`${base}/admin/`), viewer.click("button[type=submit]")])
    await viewer.goto(`${base}/admin/blog/post/`)
    expect(await viewer.$("#action-select")).toBeNull()
    expect(await viewer.$("text=Add post")).toBeNull()
    await viewer.click("table.result-list tbody a >> nth=0")
    await viewer.waitForURL(/\/change$/)
    expect(await viewer.textContent("h1")).toBe("View post")
    expect(await viewer.$("button[name=_save]")).toBeNull()
    expect(await viewer.$("#id_title")).toBeNull()
    await ctx.close()
    const other = await browser.newContext()
    const plain = await other.newPage()
    await plain.goto(`${base}/admin/login`)
    await plain.fill("#id_email", "plain@example.com")
    await plain.fill("#id_password", PASSWORD)
    const [res] = await Promise.all([
      plain.waitForResponse((r) => r.request().method() === "POST"),
      plain.click("button[type=submit]"),
    ])
    expect(res.status()).toBe(401)
    expect(await plain.textContent("[role=alert]")).toBe(
      "Enter the email and password of a staff account. Both may be case-sensitive.",
    )
    await other.close()
  })

  it("picks a foreign key through the search box when the related table is large", async () => {
    const big = await adminApp(db, { autocompleteAbove: 1 }).listen({
      port: 0,
      host: "127.0.0.1",
      signals: false,
    })
    try {
      await page.goto(`${big.url}/admin/login`)
      await page.fill("#id_email", "root@example.com")
      await page.fill("#id_password", PASSWORD)
      await submitVia("button[type=submit]")
      await page.goto(`${big.url}/admin/blog/post/add`)
      await page.fill(".ac-search", "stone")
      await page.waitForFunction(
        () => document.querySelectorAll("#id_authorId_options option").length === 1,
      )
      await page.fill(".ac-search", "Bob Stone")
      expect(await page.inputValue("#id_authorId")).toBe(
        String((await db.query(Author).get({ name: "Bob Stone" })).id),
      )
      expect(await page.textContent(".ac-current")).toBe("Bob Stone")
      expect(await seriousViolations(page)).toEqual([])
      await page.fill("#id_title", "Picked by search")
      await page.fill("#id_slug", "picked-by-search")
      await submitVia("button[name=_save]")
      expect(await flash()).toBe("The post “Picked by search” was added.")
      expect((await db.query(Post).get({ slug: "picked-by-search" })).authorId).toBe(
        (await db.query(Author).get({ name: "Bob Stone" })).id,
      )
    } finally {
      await big.close()
    }
  })

  it("ran without a script error or a CSP violation", () => {
    expect(errors).toEqual([])
  })
})
