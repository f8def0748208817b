import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Secret, TOTP } from "otpauth"
import type { Browser, Page } from "playwright-core"
import { App, escapeHtml, type TrussServer } from "truss"
import { csrf } from "truss/security"
import { memoryStore, sessions } from "truss/sessions"
import { renderSVG } from "uqr"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  login,
  logout,
  userFromSession,
} from "../../src/auth/index.js"
import {
  hasTotp,
  markAuthenticated,
  startSecondFactor,
  TotpDeviceModel,
  totpRoutes,
} from "../../src/auth/mfa/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"
import { testDatabases } from "../support/databases.js"

const enabled = browserTestsEnabled("auth TOTP browser test")
const SHOTS = join(tmpdir(), "truss-screenshots/")

function makeApp(db: Database): App {
  const app = new App({ logger: false })
  app.use(
    sessions({ secret: "totp-browser-test-secret-0123456789ab", store: memoryStore() }),
    csrf(),
  )
  const form = (token: string) =>
    `<!doctype html><title>Sign in</title><form method="post" action="/login"><input type="hidden" name="_csrf" value="${escapeHtml(token)}"><input name="email"><input name="password" type="password"><button>Sign in</button></form>`
  app.get("/login", (c) => c.html(form(c.csrfToken)))
  // The app's password step: with TOTP enrolled it hands over to /mfa/verify.
  app.post("/login", async (c) => {
    const f = await c.req.form()
    const user = await authenticate(db, String(f.get("email")), String(f.get("password")))
    if (user === undefined) return c.html("wrong email or password", 401)
    if (await hasTotp(db, user.id)) {
      startSecondFactor(c, user)
      return c.redirect("/mfa/verify", 303)
    }
    await login(c, user)
    markAuthenticated(c)
    return c.redirect("/", 303)
  })
  app.post("/logout", async (c) => {
    await logout(c)
    return c.redirect("/login", 303)
  })
  app.get("/", async (c) => {
    const user = await userFromSession(c, db)
    return c.html(
      `<p id="who">${user === undefined ? "signed out" : `signed in as ${escapeHtml(user.email)}`}</p><form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(c.csrfToken)}"><button id="logout">Sign out</button></form>`,
    )
  })
  app.register(totpRoutes({ db, issuer: "Truss Test" }))
  return app
}

const codeAt = (secret: string, step: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: step * 30_000,
  })

for (const target of await testDatabases()) {
  if (target.name !== "sqlite" && target.name !== "postgres" && target.name !== "mariadb") continue
  describe.skipIf(!enabled || !target.available)(
    `${target.name}: TOTP enrollment and sign-in in Chromium`,
    () => {
      let browser: Browser
      let server: TrussServer
      let db: Database
      let drop: () => Promise<void>
      let page: Page
      let base: string

      beforeAll(async () => {
        ;({ db, drop } = await target.open())
        await createTables(db, [...authModels, TotpDeviceModel])
        await createUser(db, { email: "ann@example.com", password: "ann's long passphrase" })
        server = await makeApp(db).listen({ port: 0, host: "127.0.0.1", signals: false })
        base = server.url
        browser = await launchChromium()
        page = await browser.newPage()
      })
      afterAll(async () => {
        await browser?.close()
        await server?.close()
        await drop?.()
      })

      async function signIn(): Promise<void> {
        await page.goto(`${base}/login`)
        await page.fill("input[name=email]", "ann@example.com")
        await page.fill("input[name=password]", "ann's long passphrase")
        await Promise.all([page.waitForURL(/\/(mfa\/verify)?$/), page.click("button")])
      }
      async function enterCode(code: string): Promise<number> {
        await page.fill("input[name=code]", code)
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === "POST"),
          page.click("button[type=submit]"),
        ])
        await page.waitForLoadState()
        return res.status()
      }
      const shownError = () => page.getAttribute(".error", "data-code")
      async function signOut(): Promise<void> {
        await page.goto(`${base}/`)
        await Promise.all([page.waitForURL(/\/login$/), page.click("#logout")])
      }

      let secret = ""
      let step = 0
      let recovery: string[] = []

      it("refuses the pages to a signed-out visitor with coded 401s", async () => {
        const enroll = await page.goto(`${base}/mfa/totp`)
        expect(enroll?.status()).toBe(401)
        expect(await page.textContent("body")).toContain(
          "Setting up two-factor authentication needs a signed-in user. Sign in first, then open this page again.",
        )
        const verify = await page.goto(`${base}/mfa/verify`)
        expect(verify?.status()).toBe(401)
        expect(await page.textContent("body")).toContain(
          "No sign-in is waiting for a second factor",
        )
        const api = async (path: string) => {
          const res = await page.request.get(`${base}${path}`, {
            headers: { accept: "application/json" },
          })
          return [res.status(), ((await res.json()) as { code: string }).code]
        }
        expect(await api("/mfa/totp")).toEqual([401, "TRUSS_ERR_AUTH_MFA_LOGIN_REQUIRED"])
        expect(await api("/mfa/verify")).toEqual([401, "TRUSS_ERR_AUTH_MFA_NOT_PENDING"])
      })

      it("enrolls on the page: a QR code of the otpauth:// URI, the secret, a first computed code, recovery codes", async () => {
        await signIn()
        expect(await page.textContent("#who")).toBe("signed in as ann@example.com")
        const res = await page.goto(`${base}/mfa/totp`)
        secret = (await page.textContent("#totp-secret")) ?? ""
        const uri = (await page.getAttribute("#totp-uri", "href")) ?? ""
        expect(secret).toMatch(/^[A-Z2-7]{32}$/)
        expect(uri).toBe(
          `otpauth://totp/Truss%20Test:ann%40example.com?issuer=Truss%20Test&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
        )
        // The QR code in the served HTML is exactly this URI's, and Chromium lays it out.
        expect(await res?.text()).toContain(renderSVG(uri, { border: 2 }))
        const box = await page.locator(".qr svg").boundingBox()
        expect([Math.round(box?.width ?? 0), Math.round(box?.height ?? 0)]).toEqual([224, 224])
        mkdirSync(SHOTS, { recursive: true })
        await page.screenshot({ path: `${SHOTS}auth-totp-enroll-${target.name}.png` })

        // A wrong first code: the same page (same secret) with the coded error.
        expect(await enterCode("12345x")).toBe(401)
        expect(await shownError()).toBe("TRUSS_ERR_AUTH_MFA_CODE_INVALID")
        expect(await page.textContent("#totp-secret")).toBe(secret)

        step = Math.floor(Date.now() / 30_000)
        expect(await enterCode(codeAt(secret, step))).toBe(200)
        expect(await page.textContent("#totp-enabled")).toContain(
          "Two-factor authentication is on.",
        )
        recovery = await page.locator("#recovery-codes code").allTextContents()
        expect(recovery).toHaveLength(10)
        for (const c of recovery) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
        const device = await db.query(TotpDeviceModel).get()
        expect([device.secret, device.lastStep, device.recoveryHashes.length]).toEqual([
          secret,
          BigInt(step),
          10,
        ])
      })

      it("signs in with password + computed code; the same code again is refused as a replay", async () => {
        await signOut()
        await signIn()
        expect(new URL(page.url()).pathname).toBe("/mfa/verify")
        // The enrollment's code is spent.
        expect(await enterCode(codeAt(secret, step))).toBe(401)
        expect(await shownError()).toBe("TRUSS_ERR_AUTH_MFA_CODE_REPLAYED")
        const next = codeAt(secret, step + 1)
        expect(await enterCode(next)).toBe(303)
        expect(new URL(page.url()).pathname).toBe("/")
        expect(await page.textContent("#who")).toBe("signed in as ann@example.com")

        await signOut()
        await signIn()
        expect(await enterCode(next)).toBe(401)
        expect(await shownError()).toBe("TRUSS_ERR_AUTH_MFA_CODE_REPLAYED")
        await page.goto(`${base}/`)
        expect(await page.textContent("#who")).toBe("signed out")
      })

      it("signs in with a recovery code once; the second use is refused", async () => {
        await page.goto(`${base}/mfa/verify`)
        expect(await enterCode(recovery[3] ?? "")).toBe(303)
        expect(await page.textContent("#who")).toBe("signed in as ann@example.com")
        await signOut()
        await signIn()
        expect(await enterCode(recovery[3] ?? "")).toBe(401)
        expect(await shownError()).toBe("TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID")
        expect((await db.query(TotpDeviceModel).get()).recoveryHashes).toHaveLength(9)
      })
    },
  )
}
