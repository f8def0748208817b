import { mkdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, CDPSession, Page } from "playwright-core"
import { App, type TrussServer } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  login,
  logout,
  User,
  userFromSession,
} from "../../src/auth/index.js"
import { startSecondFactor } from "../../src/auth/mfa/index.js"
import { Passkey, type PasskeyConfig, passkeyRoutes } from "../../src/auth/passkeys/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"
import { testDatabases } from "../support/databases.js"
import { PASSKEY_PAGE } from "./auth-passkeys-page.js"

const enabled = browserTestsEnabled("auth passkeys browser test")
const SHOTS = join(tmpdir(), "truss-screenshots/")

interface Answer {
  status: number
  body: { code?: string; user?: { email: string }; passkey?: { name: string } }
  sent?: unknown
}

function makeApp(db: Database, rp: PasskeyConfig): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: "passkey-browser-test-secret-0123456789", store: memoryStore() }))
  app.get("/", (c) => c.html(PASSKEY_PAGE))
  app.post("/login", async (c) => {
    const { email, password, secondFactor } = await c.req.json<Record<string, string>>()
    const user = await authenticate(db, email ?? "", password ?? "")
    if (user === undefined) return c.json({ code: "bad" }, 401)
    if (secondFactor === "passkey") startSecondFactor(c, user)
    else await login(c, user)
    return { ok: true }
  })
  app.post("/logout", async (c) => {
    await logout(c)
    return { ok: true }
  })
  app.get("/me", async (c) => ({ email: (await userFromSession(c, db))?.email ?? null }))
  app.register(
    passkeyRoutes({
      db,
      ...rp,
      get origin() {
        return rp.origin
      },
    }),
  )
  return app
}

for (const target of await testDatabases()) {
  if (target.name === "postgres-pipeline" || target.name === "mysql-no-returning") continue
  describe.skipIf(!enabled || !target.available)(
    `${target.name}: passkeys in Chromium with a CDP virtual authenticator`,
    () => {
      let browser: Browser
      let server: TrussServer
      let db: Database
      let drop: () => Promise<void>
      let page: Page
      let cdp: CDPSession
      let authenticatorId: string

      beforeAll(async () => {
        ;({ db, drop } = await target.open())
        await createTables(db, [...authModels, Passkey])
        await createUser(db, { email: "ann@example.com", password: "ann's long passphrase" })
        await createUser(db, { email: "bob@example.com", password: "bob's long passphrase" })
        // The origin holds the port, known once listening; the routes read it per request.
        const rp = { rpName: "Truss test", rpID: "localhost", origin: "" }
        server = await makeApp(db, rp).listen({ port: 0, host: "127.0.0.1", signals: false })
        rp.origin = `http://localhost:${server.port}`
        browser = await launchChromium()
        page = await browser.newPage()
        cdp = await page.context().newCDPSession(page)
        await cdp.send("WebAuthn.enable")
        ;({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
          options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        }))
        await page.goto(`http://localhost:${server.port}/`)
      })
      afterAll(async () => {
        await browser?.close()
        await server?.close()
        await drop?.()
      })

      const call = <T>(fn: string, ...args: unknown[]) =>
        page.evaluate(
          ([name, rest]) =>
            (window as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name as string]!(
              ...(rest as unknown[]),
            ),
          [fn, args] as const,
        )
      const post = (path: string, body: unknown = {}) => call<Answer>("post", path, body)
      const me = async () =>
        (await page.evaluate(() => fetch("/me").then((r) => r.json()))) as { email: string | null }

      it("registers a discoverable passkey for the signed-in user, stored in auth_passkey", async () => {
        expect(
          (await post("/login", { email: "ann@example.com", password: "ann's long passphrase" }))
            .status,
        ).toBe(200)
        const res = await call<Answer>("register", "laptop")
        expect([res.status, res.body.passkey?.name]).toEqual([201, "laptop"])
        const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId })
        expect(credentials.map((c) => [c.isResidentCredential, c.rpId])).toEqual([
          [true, "localhost"],
        ])
        const rows = await db.query(Passkey).all()
        const ann = await db.query(User).filter({ email: "ann@example.com" }).get()
        expect(rows.map((r) => [r.userId, r.credentialId, r.name, r.transports])).toEqual([
          [
            String(ann.id),
            Buffer.from(credentials[0]!.credentialId, "base64").toString("base64url"),
            "laptop",
            ["internal"],
          ],
        ])
        expect(rows[0]?.lastUsedAt).toBe(null)
      })

      it("logs in passwordlessly with it: login() gives the session Ann, and the counter grows", async () => {
        await post("/logout")
        expect(await me()).toEqual({ email: null })
        const res = await call<Answer>("signIn", "login")
        expect([res.status, res.body.user?.email]).toEqual([200, "ann@example.com"])
        expect(await me()).toEqual({ email: "ann@example.com" })
        const row = await db.query(Passkey).get()
        expect(row.counter > 0n).toBe(true)
        expect(row.lastUsedAt instanceof Date).toBe(true)
        mkdirSync(SHOTS, { recursive: true })
        await page.screenshot({ path: `${SHOTS}auth-passkeys-${target.name}.png` })
        expect(await page.textContent("#who")).toBe("signed in as ann@example.com")

        // Replaying the same assertion: the session's challenge is spent.
        const replay = await post("/passkeys/login", res.sent)
        expect([replay.status, replay.body.code]).toEqual([
          400,
          "TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING",
        ])
        // Against a fresh challenge the old signature does not verify.
        await post("/passkeys/login/options")
        const stale = await post("/passkeys/login", res.sent)
        expect([stale.status, stale.body.code]).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_INVALID"])
      })

      it("rotates the session id when a passkey logs the user in (no fixation)", async () => {
        await post("/logout")
        const sid = async () =>
          (await page.context().cookies()).find((c) => c.name === "truss_session")?.value
        const sent = await call<unknown>("assertion", "/passkeys/login/options")
        const before = await sid()
        const res = await post("/passkeys/login", sent)
        const after = await sid()
        expect([res.status, res.body.user?.email]).toEqual([200, "ann@example.com"])
        expect([typeof before, typeof after, before === after]).toEqual(["string", "string", false])
      })

      it("refuses registration without a signed-in user with 401 TRUSS_ERR_AUTH_PASSKEY_LOGIN_REQUIRED", async () => {
        await post("/logout")
        const res = await post("/passkeys/register/options")
        expect([res.status, res.body.code]).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_LOGIN_REQUIRED"])
      })

      it("serves as a second factor after the password, and only for that user's passkey", async () => {
        await post("/logout")
        const none = await post("/passkeys/second-factor/options")
        expect([none.status, none.body.code]).toEqual([401, "TRUSS_ERR_AUTH_MFA_NOT_PENDING"])
        // Bob's password, then Ann's passkey (the browser offers it): refused, not logged in.
        await post("/login", {
          email: "bob@example.com",
          password: "bob's long passphrase",
          secondFactor: "passkey",
        })
        expect(await me()).toEqual({ email: null })
        const wrong = await call<Answer>("signIn", "second-factor")
        expect([wrong.status, wrong.body.code]).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_INVALID"])
        expect(await me()).toEqual({ email: null })
        // Ann's password, then her passkey: logged in.
        await post("/login", {
          email: "ann@example.com",
          password: "ann's long passphrase",
          secondFactor: "passkey",
        })
        expect(await me()).toEqual({ email: null })
        const res = await call<Answer>("signIn", "second-factor")
        expect([res.status, res.body.user?.email]).toEqual([200, "ann@example.com"])
        expect(await me()).toEqual({ email: "ann@example.com" })
      })

      it("lists the passkey and removes it; then it no longer signs in", async () => {
        const list = (await page.evaluate(() => fetch("/passkeys").then((r) => r.json()))) as {
          passkeys: { id: string; name: string }[]
        }
        expect(list.passkeys.map((p) => p.name)).toEqual(["laptop"])
        const id = list.passkeys[0]?.id ?? ""
        const removed = await page.evaluate(
          (path) => fetch(path, { method: "DELETE" }).then((r) => r.json()),
          `/passkeys/${id}`,
        )
        expect(removed).toEqual({ deleted: id })
        expect(await db.query(Passkey).count()).toBe(0)
        await post("/logout")
        const res = await call<Answer>("signIn", "login")
        expect([res.status, res.body.code]).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_INVALID"])
        expect(await me()).toEqual({ email: null })
      })
    },
  )
}
