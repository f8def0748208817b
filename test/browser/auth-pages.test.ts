import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "playwright-core"
import { App, escapeHtml, type TrussServer } from "truss"
import { csrf, secureHeaders } from "truss/security"
import { memoryStore, sessions } from "truss/sessions"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { auth, authModels, authPages, loginThrottle } from "../../src/auth/index.js"
import { createMailer, memoryTransport } from "../../src/mail/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"

const enabled = browserTestsEnabled("auth pages browser test")
const SHOTS = join(tmpdir(), "truss-screenshots")
const SECRET = "auth-pages-browser-secret-0123456789-abc"

describe.skipIf(!enabled)("auth pages in Chromium: sign up, sign out, sign in", () => {
  let browser: Browser
  let server: TrussServer
  let db: Database
  let page: Page
  let base: string
  const violations: string[] = []
  const mailer = createMailer({ transport: memoryTransport(), from: "Acme <no-reply@acme.test>" })

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    db = await connect("sqlite::memory:")
    await createTables(db, authModels)
    const app = new App({ logger: false })
    app.use(
      secureHeaders(),
      sessions({ secret: SECRET, store: memoryStore() }),
      csrf(),
      auth({ db, loginUrl: "/accounts/login" }),
    )
    app.register(
      authPages({
        db,
        mailer,
        secret: SECRET,
        site: "Acme",
        throttle: loginThrottle({ perAccount: 5, window: 60 }),
      }),
    )
    app.get("/", (c) =>
      c.html(
        `<!doctype html><title>Home</title><link rel="stylesheet" href="/accounts/static/auth.css"><body class="auth"><main class="auth-card"><p id="who">${c.user === undefined ? "signed out" : `signed in as ${escapeHtml(c.user.email)}`}</p><p class="auth-links"><a href="/accounts/logout">Sign out</a></p></main></body>`,
      ),
    )
    server = await app.listen({ port: 0, host: "127.0.0.1", signals: false })
    base = server.url
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 900, height: 720 } })
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `auth-pages-${name}.png`) })

  it("shows field errors, signs up, signs out and signs in, with no CSP violation", async () => {
    await page.goto(`${base}/accounts/signup`)
    expect(await page.title()).toBe("Create an account · Acme")
    // The stylesheet applies: the card is centered and white.
    const card = await page.locator(".auth-card").boundingBox()
    expect(card?.width).toBe(384)
    expect(Math.round((card?.x ?? 0) + (card?.width ?? 0) / 2)).toBe(450)
    expect(
      await page.locator(".auth-card").evaluate((e) => getComputedStyle(e).backgroundColor),
    ).toBe("rgb(255, 255, 255)")
    await page.fill("#email", "Eve@Example.com")
    await page.fill("#password", "password")
    await page.fill("#confirm", "passwort")
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")])
    await page.waitForSelector(".auth-field-errors")
    expect(await page.locator(".auth-field-errors p").allTextContents()).toEqual([
      "It is too common.",
      "The two passwords differ.",
    ])
    expect(await page.inputValue("#email")).toBe("eve@example.com")
    await shot("signup-errors")

    await page.fill("#password", "evening tide rising")
    await page.fill("#confirm", "evening tide rising")
    await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")])
    expect(await page.textContent("#who")).toBe("signed in as eve@example.com")
    expect(mailer.outbox.at(-1)?.subject).toBe("Confirm your email on Acme")

    await page.click("text=Sign out")
    await page.waitForURL(`${base}/accounts/logout`)
    await shot("logout")
    await Promise.all([
      page.waitForURL(/\/accounts\/login\?signedOut=1$/),
      page.click("button[type=submit]"),
    ])
    expect(await page.textContent(".auth-notice")).toBe("You are signed out.")

    await page.fill("#email", "eve@example.com")
    await page.fill("#password", "not my password")
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")])
    await page.waitForSelector(".auth-alert")
    expect(await page.textContent(".auth-alert")).toBe(
      "The email or the password is wrong. Check both and try again.",
    )
    await shot("login-error")

    await page.fill("#password", "evening tide rising")
    await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")])
    expect(await page.textContent("#who")).toBe("signed in as eve@example.com")

    await page.goto(`${base}/accounts/password/reset`)
    await shot("password-reset")
    await page.fill("#email", "eve@example.com")
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")])
    expect(await page.textContent("h1")).toBe("Check your inbox")
    await shot("password-reset-sent")
    await expect.poll(() => mailer.outbox.at(-1)?.subject).toBe("Reset your password on Acme")
    const link = /http:\/\/127\.0\.0\.1:\d+\/accounts\/password\/reset\/\S+/.exec(
      mailer.outbox.at(-1)?.text ?? "",
    )?.[0]
    expect(link?.startsWith(`${base}/accounts/password/reset/`)).toBe(true)
    const mailPage = await browser.newPage({ viewport: { width: 700, height: 520 } })
    await mailPage.setContent(mailer.outbox.at(-1)?.html ?? "")
    expect(await mailPage.getAttribute("a", "href")).toBe(link)
    await mailPage.screenshot({ path: join(SHOTS, "auth-pages-mail-reset.png") })
    await mailPage.close()
    await page.goto(link!)
    await page.fill("#password", "a whole new passphrase")
    await page.fill("#confirm", "a whole new passphrase")
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")])
    expect(await page.textContent("h1")).toBe("Password set")
    await shot("password-reset-done")
    await page.goto(`${base}/accounts/password/reset/1.abc.def.ghi`)
    await shot("link-invalid")
    await page.setViewportSize({ width: 390, height: 760 })
    await page.goto(`${base}/accounts/login`)
    const narrow = await page.locator(".auth-card").boundingBox()
    expect([narrow?.x, narrow?.width]).toEqual([16, 358])
    await shot("login-phone")
    expect(violations).toEqual([])
  })
})
