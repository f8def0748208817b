import type { Browser, Page } from "playwright-core"
import type { TrussServer } from "truss"
import type { Database } from "truss/orm"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { browserTestsEnabled, launchChromium } from "../../test/support/browser.js"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"
import { PASSWORD } from "./test-app.js"

const enabled = browserTestsEnabled("demo browser test")

describe.skipIf(!enabled)("demo pages in headless Chromium", () => {
  let browser: Browser
  let server: TrussServer
  let page: Page
  let db: Database

  beforeAll(async () => {
    db = await openDatabase("sqlite::memory:")
    server = await createApp({ db }).listen({ port: 0, host: "127.0.0.1" })
    browser = await launchChromium()
    page = await browser.newPage()
    // Tasks belong to users: sign up first, through the sign-up page.
    await page.goto(`${server.url}/accounts/signup`)
    await page.fill("input[name=email]", "tester@example.com")
    await page.fill("input[name=password]", PASSWORD)
    await page.fill("input[name=confirm]", PASSWORD)
    await Promise.all([page.waitForURL(/\/tasks$/), page.click("button[type=submit]")])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it("renders the Swagger UI at /docs under the security headers' CSP, with no CSP violation", async () => {
    const violations: string[] = []
    page.on("console", (m) => {
      if (m.text().includes("Content Security Policy")) violations.push(m.text())
    })
    const res = await page.goto(`http://127.0.0.1:${server.port}/docs`)
    expect(res?.headers()["content-security-policy"]).toContain("default-src")
    await page.locator(".opblock-summary-path").first().waitFor({ timeout: 10000 })
    expect(await page.locator(".opblock-summary-path").allTextContents()).toEqual(
      expect.arrayContaining(["/api/bookmarks"]),
    )
    expect(violations).toEqual([])
  })

  it("shows the validation error, then the flash once after a valid submit", async () => {
    await page.goto(`${server.url}/tasks`)
    expect(await page.locator("p.empty").textContent()).toBe("No tasks yet.")

    await page.getByRole("link", { name: "New task" }).click()
    await page.waitForURL(`${server.url}/tasks/new`)
    await page.getByLabel("Title").fill("")
    await page.getByRole("button", { name: "Save" }).click()
    await page.waitForLoadState()
    expect(await page.locator('[data-error-for="title"]').textContent()).toBe("Enter a title.")
    expect(await page.locator(".flash").count()).toBe(0)

    await page.getByLabel("Title").fill("Write <the> docs")
    await page.getByLabel("Priority (1–5)").fill("2")
    await page.getByLabel("Done").check()
    await page.getByRole("button", { name: "Save" }).click()
    await page.waitForURL(`${server.url}/tasks`)
    expect(await page.locator(".flash").allTextContents()).toEqual(["Created “Write <the> docs”."])
    expect(await page.locator("tbody tr td").allTextContents()).toEqual(
      expect.arrayContaining(["Write <the> docs", "2", "done"]),
    )

    await page.reload()
    expect(await page.locator(".flash").count()).toBe(0)
    expect(await page.locator("tbody tr").count()).toBe(1)
  })

  it("edits and deletes through the page's forms, each with its CSRF token", async () => {
    await page.goto(`${server.url}/tasks`)
    await page.getByRole("link", { name: "Edit" }).click()
    await page.getByLabel("Title").fill("Ship it")
    await page.getByRole("button", { name: "Save" }).click()
    await page.waitForURL(`${server.url}/tasks`)
    expect(await page.locator(".flash").allTextContents()).toEqual(["Saved “Ship it”."])

    await page.getByRole("button", { name: "Delete" }).click()
    await page.waitForURL(`${server.url}/tasks`)
    expect(await page.locator(".flash").allTextContents()).toEqual(["Deleted “Ship it”."])
    expect(await page.locator("p.empty").textContent()).toBe("No tasks yet.")
  })
})
