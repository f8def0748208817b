import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  hashPassword,
  login,
  User,
} from "../../src/auth/index.js"
import {
  markAuthenticated,
  startSecondFactor,
  TotpDeviceModel,
  totpCode,
  totpRoutes,
} from "../../src/auth/mfa/index.js"
import { createTables, type Database } from "../../src/orm/index.js"

// SQLite is enough here: the storage paths run on every database in totp-devices.test.ts.
describe("TOTP enrollment needs a recent sign-in (step-up)", () => {
  let db: Database
  let app: App
  beforeAll(async () => {
    const { connect } = await import("../../src/orm/index.js")
    db = await connect("sqlite::memory:")
    await createTables(db, [...authModels, TotpDeviceModel])
    await createUser(db, { email: "ann@example.com", password: "ann's long passphrase" })
    app = new App({ logger: false })
    app.use(sessions({ secret: "totp-routes-test-secret-0123456789abc", store: memoryStore() }))
    app.post("/login", async (c) => {
      const { minutesAgo } = await c.req.json<{ minutesAgo: number }>()
      const user = await authenticate(db, "ann@example.com", "ann's long passphrase")
      if (user === undefined) return c.json({}, 401)
      await login(c, user)
      markAuthenticated(c, Date.now() - minutesAgo * 60_000)
      return { ok: true }
    })
    app.register(totpRoutes({ db, issuer: "Acme", stepUpMaxAge: 300 }))
  })
  afterAll(() => db.close())

  async function enroll(minutesAgo: number) {
    const client = createClient(app)
    await client.post("/login", { minutesAgo })
    const page = await (await client.get("/mfa/totp")).text()
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page)?.[1] ?? ""
    const res = await client.request("/mfa/totp", {
      method: "POST",
      body: new URLSearchParams({ code: totpCode(secret) }),
      headers: { accept: "application/json" },
    })
    return { res, secret }
  }

  it("refuses to confirm an enrollment 10 minutes after sign-in with 401 STEP_UP_REQUIRED (maxAge 300)", async () => {
    const { res } = await enroll(10)
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
      401,
      "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
    ])
    expect(await db.query(TotpDeviceModel).count()).toBe(0)
  })

  it("confirms it 2 minutes after sign-in and stores the secret shown on the page", async () => {
    const { res, secret } = await enroll(2)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<ul id="recovery-codes">')
    expect((await db.query(TotpDeviceModel).get()).secret).toBe(secret)
  })

  it("turns TOTP off only within the step-up window", async () => {
    const disable = async (minutesAgo: number) => {
      const client = createClient(app)
      await client.post("/login", { minutesAgo })
      return client.request("/mfa/totp/disable", {
        method: "POST",
        headers: { accept: "application/json" },
      })
    }
    const stale = await disable(10)
    expect([stale.status, ((await stale.json()) as { code: string }).code]).toEqual([
      401,
      "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
    ])
    expect(await db.query(TotpDeviceModel).count()).toBe(1)
    const fresh = await disable(1)
    expect(fresh.status).toBe(200)
    expect(await fresh.text()).toContain('<p id="totp-disabled">')
    expect(await db.query(TotpDeviceModel).count()).toBe(0)
  })

  it("lets a pending second factor lapse after 5 minutes, and a password change cancel it", async () => {
    const pendingApp = new App({ logger: false })
    pendingApp.use(
      sessions({ secret: "totp-pending-test-secret-0123456789ab", store: memoryStore() }),
    )
    pendingApp.post("/password", async (c) => {
      const { minutesAgo } = await c.req.json<{ minutesAgo: number }>()
      const user = await authenticate(db, "ann@example.com", "ann's long passphrase")
      if (user !== undefined) startSecondFactor(c, user, Date.now() - minutesAgo * 60_000)
      return { ok: user !== undefined }
    })
    pendingApp.register(totpRoutes({ db, issuer: "Acme" }))
    const status = async (minutesAgo: number, before?: () => Promise<void>) => {
      const client = createClient(pendingApp)
      await client.post("/password", { minutesAgo })
      await before?.()
      const res = await client.get("/mfa/verify", { headers: { accept: "application/json" } })
      return res.status === 200 ? 200 : [res.status, ((await res.json()) as { code: string }).code]
    }
    expect(await status(4)).toBe(200)
    expect(await status(6)).toEqual([401, "TRUSS_ERR_AUTH_MFA_NOT_PENDING"])
    const changed = async () => {
      await db
        .query(User)
        .filter({ email: "ann@example.com" })
        .update({ password: await hashPassword("another long passphrase") })
    }
    expect(await status(1, changed)).toEqual([401, "TRUSS_ERR_AUTH_MFA_NOT_PENDING"])
  })
})
