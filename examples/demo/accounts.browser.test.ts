import { mkdirSync } from "node:fs"
import { Secret, TOTP } from "otpauth"
import type { Browser, CDPSession, Page } from "playwright-core"
import type { TrussServer } from "truss"
import type { Database } from "truss/orm"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { browserTestsEnabled, launchChromium } from "../../test/support/browser.js"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"
import { PASSWORD } from "./test-app.js"

const enabled = browserTestsEnabled("demo accounts browser test")
const SHOTS = "/tmp/truss-screenshots/"

describe.skipIf(!enabled)("demo accounts in headless Chromium: sign-up, passkey, TOTP", () => {
  let browser: Browser
  let server: TrussServer
  let page: Page
  let cdp: CDPSession
  let db: Database
  let base: string

  beforeAll(async () => {
    db = await openDatabase("sqlite::memory:")
    // Passkeys need the origin the browser sees: listen first, then build the app for it.
    const probe = await createApp({ db }).listen({ port: 0, host: "127.0.0.1" })
    const port = probe.port
    await probe.close()
    base = `http://localhost:${port}`
    server = await createApp({ db, origin: base, debug: true }).listen({ port, host: "127.0.0.1" })
    browser = await launchChromium()
    page = await browser.newPage()
    page.setDefaultTimeout(8000)
    cdp = await page.context().newCDPSession(page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    })
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  /** Logs out with the header's button (from the account page). */
  async function logOut(): Promise<void> {
    await page.goto(`${base}/account`)
    await Promise.all([
      page.waitForURL(/\/accounts\/(login|logout)/),
      page.click("header button.link"),
    ])
    if (!page.url().includes("/accounts/login")) await page.goto(`${base}/accounts/login`)
  }

  it("signs up from the tasks page and lands on an empty task list of one's own", async () => {
    await page.goto(`${base}/tasks`)
    expect(new URL(page.url()).pathname).toBe("/accounts/login")
    await page.click("a[href='/accounts/signup']")
    await page.fill("input[name=email]", "ada@example.com")
    await page.fill("input[name=password]", PASSWORD)
    await page.fill("input[name=confirm]", PASSWORD)
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click("button[type=submit]")])
    expect(await page.textContent("header")).toContain("ada@example.com")
    expect(await page.textContent("p.empty")).toBe("No tasks yet.")
    await page.click("a.button")
    await page.fill("input[name=title]", "Water the plants")
    await page.fill("input[name=priority]", "2")
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click("main button[type=submit]")])
    await page.screenshot({ path: `${SHOTS}demo-tasks.png`, fullPage: true })
    expect(await page.locator("tbody tr td").first().textContent()).toBe("Water the plants")
  })

  it("adds a passkey on the account page, then signs in with it and no password", async () => {
    await page.goto(`${base}/account`)
    // The client reloads the page once the server has stored the passkey.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/passkeys/register") && r.status() === 201),
      page.waitForEvent("framenavigated"),
      page.click("button[data-passkey=register]"),
    ])
    await page.waitForLoadState()
    expect(await page.locator("ul.passkeys li").allTextContents()).toEqual([
      expect.stringMatching(/^Passkey 1 added \d{4}-\d\d-\d\d$/),
    ])
    await page.screenshot({ path: `${SHOTS}demo-account.png`, fullPage: true })
    await logOut()
    await page.screenshot({ path: `${SHOTS}demo-login-passkey.png`, fullPage: true })
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click("button[data-passkey=login]")])
    expect(await page.textContent("header")).toContain("ada@example.com")
  })

  it("enrolls TOTP, then asks for a code after the password", async () => {
    await page.goto(`${base}/mfa/totp`)
    const secret = (await page.textContent("#totp-secret")) ?? ""
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await page.screenshot({ path: `${SHOTS}demo-totp.png`, fullPage: true })
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
    await page.fill("input[name=code]", totp.generate())
    await Promise.all([page.waitForLoadState(), page.click("button[type=submit]")])
    expect(await page.textContent("#totp-enabled")).toContain("Two-factor authentication is on.")

    await logOut()
    await page.fill("input[name=email]", "ada@example.com")
    await page.fill("input[name=password]", PASSWORD)
    await Promise.all([page.waitForURL(/\/mfa\/verify/), page.click("form.auth-form button")])
    // The code just used is refused (replay); the next step's is accepted.
    const next = totp.generate({ timestamp: Date.now() + 30_000 })
    await page.fill("input[name=code]", next)
    await Promise.all([page.waitForURL(`${base}/tasks`), page.click("button[type=submit]")])
    expect(await page.textContent("header")).toContain("ada@example.com")
  })
})
