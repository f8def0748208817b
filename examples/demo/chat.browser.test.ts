import { mkdirSync } from "node:fs"
import type { Browser, Page } from "playwright-core"
import type { TrussServer } from "truss"
import type { Database } from "truss/orm"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { WebSocket } from "ws"
import { browserTestsEnabled, launchChromium } from "../../test/support/browser.js"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"
import { PASSWORD } from "./test-app.js"

const enabled = browserTestsEnabled("demo chat browser test")
const SHOTS = "/tmp/truss-screenshots/"

describe.skipIf(!enabled)("demo chat in two Chromium contexts", () => {
  let browser: Browser
  let server: TrussServer
  let db: Database
  const pages: Page[] = []

  async function signUp(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage()
    page.setDefaultTimeout(8000)
    await page.goto(`${server.url}/accounts/signup?next=%2Fchat`)
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.fill("input[name=confirm]", PASSWORD)
    await Promise.all([page.waitForURL(/\/(chat|tasks)$/), page.click("button[type=submit]")])
    if (!page.url().endsWith("/chat")) await page.goto(`${server.url}/chat`)
    pages.push(page)
    return page
  }
  const who = (page: Page) => page.locator("#chat-who li").allTextContents()

  beforeAll(async () => {
    db = await openDatabase("sqlite::memory:")
    server = await createApp({ db }).listen({ port: 0, host: "127.0.0.1" })
    browser = await launchChromium()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it("shows each user the other's presence and messages, and drops one who leaves", async () => {
    const ann = await signUp("ann@example.com")
    await expect.poll(() => who(ann)).toEqual(["ann@example.com"])
    const bob = await signUp("bob@example.com")
    await expect.poll(() => who(bob)).toEqual(["ann@example.com", "bob@example.com"])
    await expect.poll(() => who(ann)).toEqual(["ann@example.com", "bob@example.com"])

    await ann.fill("#chat-say input", "Hello, Bob <3")
    await ann.click("#chat-say button")
    await bob.fill("#chat-say input", "Hi Ann")
    await bob.click("#chat-say button")
    const lines = ["ann@example.com: Hello, Bob <3", "bob@example.com: Hi Ann"]
    await expect.poll(() => bob.locator("#chat-log li").allTextContents()).toEqual(lines)
    await expect.poll(() => ann.locator("#chat-log li").allTextContents()).toEqual(lines)
    await ann.screenshot({ path: `${SHOTS}demo-chat.png`, fullPage: true })

    await bob.close()
    await expect.poll(() => who(ann), { timeout: 10_000 }).toEqual(["ann@example.com"])
  })

  it("refuses the socket to a visitor who is not signed in, with 401", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/chat/ws`)
    const status = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0))
      socket.on("open", () => resolve(101))
    })
    expect(status).toBe(401)
  })
})
