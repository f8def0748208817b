import { existsSync } from "node:fs"
import { type Browser, chromium, type Page } from "playwright-core"
import type { TrussServer } from "truss"
import type { Database } from "truss/orm"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"

const CHROMIUM = "/usr/bin/chromium"
const required = process.env.TRUSS_REQUIRE_SERVICES === "1"
const present = existsSync(CHROMIUM)
if (!present && !required) {
  console.warn(`demo browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`)
}

describe.skipIf(!present && !required)("demo pages in headless Chromium", () => {
  let browser: Browser
  let server: TrussServer
  let page: Page
  let db: Database

  beforeAll(async () => {
    if (!present)
      throw new Error(
        `${CHROMIUM} is missing and TRUSS_REQUIRE_SERVICES=1: apt-get install chromium`,
      )
    const { db: opened, tasks } = await openDatabase("sqlite::memory:")
    db = opened
    server = await createApp({ tasks }).listen({ port: 0, host: "127.0.0.1" })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
    })
    page = await browser.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
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
