import { App } from "truss"
import { sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { describe, expect, it } from "vitest"
import { markAuthenticated, requireRecentLogin } from "../../src/auth/mfa/index.js"

function stepUpApp(): App {
  const app = new App({ logger: false })
  const gate = requireRecentLogin(300)
  app.use(sessions({ secret: "step-up-test-secret-step-up-test-secret" }))
  app.use(async function onlySettings(c, next) {
    if (c.req.path.startsWith("/settings")) await gate(c, next)
    else await next()
  })
  app.get("/login", (c) => {
    markAuthenticated(c)
    return { ok: true }
  })
  app.get("/old-login", (c) => {
    markAuthenticated(c, Date.now() - 301_000)
    return { ok: true }
  })
  app.get("/settings/tokens/new", () => ({ allowed: true }))
  return app
}

describe("step-up: requireRecentLogin()", () => {
  it("refuses a session that never authenticated with 401 TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED", async () => {
    const res = await createClient(stepUpApp()).get("/settings/tokens/new")
    const body = (await res.json()) as { code: string; detail: string }
    expect([res.status, body.code, body.detail]).toEqual([
      401,
      "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
      "This action needs a sign-in within the last 300 seconds. Confirm your password or second factor, then try again.",
    ])
  })

  it("refuses a login older than maxAge", async () => {
    const client = createClient(stepUpApp())
    expect((await client.get("/old-login")).status).toBe(200)
    expect((await client.get("/settings/tokens/new")).status).toBe(401)
  })

  it("lets a fresh login through", async () => {
    const client = createClient(stepUpApp())
    await client.get("/login")
    const res = await client.get("/settings/tokens/new")
    expect([res.status, await res.json()]).toEqual([200, { allowed: true }])
  })
})
