import { App } from "truss"
import { type CsrfOptions, csrf } from "truss/security"
import { sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { describe, expect, it } from "vitest"

const SECRET = "csrf-test-secret-csrf-test-secret-000001"

function csrfApp(options: CsrfOptions = {}): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: SECRET }), csrf(options))
  app.get("/form", (c) => ({ token: c.csrfToken, again: c.csrfToken }))
  app.post("/save", async (c) => {
    const type = c.req.contentType
    if (type === "application/json") return { saved: await c.req.json() }
    if (type === "") return { saved: null }
    const form = await c.req.form()
    return { saved: form.get("title") }
  })
  app.put("/save", () => ({ saved: "put" }))
  app.patch("/save", () => ({ saved: "patch" }))
  app.delete("/save", () => ({ saved: "delete" }))
  app.post("/hook", { csrf: false }, () => ({ hook: true }))
  app.post("/api/items", () => ({ api: true }))
  app.post("/login", (c) => {
    c.session.set("user", "ada")
    return { ok: true }
  })
  return app
}

function problem(code: string, detail: string) {
  return { type: "about:blank", title: "Forbidden", status: 403, code, detail }
}

const MISSING = problem(
  "TRUSS_ERR_CSRF_MISSING",
  'This request needs a CSRF token and sent none. Add {% csrf %} to the form (a hidden "_csrf" field holding c.csrfToken), or send the token in the x-csrf-token header.',
)
const MISMATCH = problem(
  "TRUSS_ERR_CSRF_MISMATCH",
  "The CSRF token does not match this session (a stale page, or a session that expired or changed). Reload the form and submit again.",
)
const badOrigin = (origin: string) =>
  problem(
    "TRUSS_ERR_CSRF_BAD_ORIGIN",
    `Cross-site request refused: it comes from ${origin}, which is neither this site (http://localhost) nor one of csrf({ origins }). Add the origin to csrf({ origins: [...] }) if it is yours; behind a TLS-terminating proxy, set new App({ trustProxy }) so the app sees https.`,
  )

async function tokenOf(client: ReturnType<typeof createClient>): Promise<string> {
  const res = await client.get("/form")
  return ((await res.json()) as { token: string }).token
}

describe("csrf(): tokens", () => {
  it("masks the session's token differently on every read, 86 base64url characters each", async () => {
    const client = createClient(csrfApp())
    const res = await client.get("/form")
    const { token, again } = (await res.json()) as { token: string; again: string }
    expect(token).toMatch(/^[\w-]{86}$/)
    expect(again).toMatch(/^[\w-]{86}$/)
    expect(token).not.toBe(again)
    for (const t of [token, again]) {
      const ok = await client.post("/save", { n: 1 }, { headers: { "x-csrf-token": t } })
      expect(ok.status).toBe(200)
    }
  })

  it("accepts the token from an urlencoded form field, and the handler reads the form again", async () => {
    const client = createClient(csrfApp())
    const token = await tokenOf(client)
    const res = await client.form("/save", { _csrf: token, title: "Hello" })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ saved: "Hello" })
  })

  it("accepts the token from a multipart form field, and the handler reads the form again", async () => {
    const client = createClient(csrfApp())
    const token = await tokenOf(client)
    const file = new Blob(["data"], { type: "text/plain" })
    const res = await client.form("/save", { _csrf: token, title: "With file", upload: file })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ saved: "With file" })
  })

  it("refuses an unsafe request without a token: 403 TRUSS_ERR_CSRF_MISSING", async () => {
    const client = createClient(csrfApp())
    await tokenOf(client)
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const res = await client.request("/save", { method })
      expect(res.status).toBe(403)
      expect(res.headers.get("content-type")).toBe("application/problem+json")
      expect(await res.json()).toEqual(MISSING)
    }
  })

  it("refuses a wrong token and another session's token: 403 TRUSS_ERR_CSRF_MISMATCH", async () => {
    const app = csrfApp()
    const mine = createClient(app)
    const theirs = createClient(app)
    await tokenOf(mine)
    const foreign = await tokenOf(theirs)
    const wrong = await mine.post(
      "/save",
      { n: 1 },
      { headers: { "x-csrf-token": "A".repeat(86) } },
    )
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toEqual(MISMATCH)
    const stolen = await mine.post("/save", { n: 1 }, { headers: { "x-csrf-token": foreign } })
    expect(await stolen.json()).toEqual(MISMATCH)
  })

  it("refuses a token when the session never issued one", async () => {
    const client = createClient(csrfApp())
    const res = await client.post(
      "/save",
      { n: 1 },
      { headers: { "x-csrf-token": "A".repeat(86) } },
    )
    expect(await res.json()).toEqual(MISMATCH)
  })

  it("lets safe methods through without a token", async () => {
    const app = csrfApp()
    const res = await app.request("/form", { method: "HEAD" })
    expect(res.status).toBe(200)
  })
})

describe("csrf(): origins", () => {
  it("refuses a cross-site Origin even with a valid token: 403 TRUSS_ERR_CSRF_BAD_ORIGIN", async () => {
    const client = createClient(csrfApp())
    const token = await tokenOf(client)
    const res = await client.form(
      "/save",
      { _csrf: token, title: "x" },
      { headers: { origin: "https://evil.example" } },
    )
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(badOrigin("https://evil.example"))
  })

  it('refuses Origin "null" (sandboxed frames, data: URLs)', async () => {
    const client = createClient(csrfApp())
    const token = await tokenOf(client)
    const res = await client.post(
      "/save",
      {},
      { headers: { origin: "null", "x-csrf-token": token } },
    )
    expect(await res.json()).toEqual(badOrigin("null"))
  })

  it("checks the Referer when there is no Origin", async () => {
    const client = createClient(csrfApp())
    const token = await tokenOf(client)
    const bad = await client.post(
      "/save",
      {},
      { headers: { referer: "https://evil.example/page?x=1", "x-csrf-token": token } },
    )
    expect(await bad.json()).toEqual(badOrigin("https://evil.example"))
    const good = await client.post(
      "/save",
      {},
      { headers: { referer: "http://localhost/form", "x-csrf-token": token } },
    )
    expect(good.status).toBe(200)
  })

  it("accepts the site's own origin and the listed origins", async () => {
    const client = createClient(csrfApp({ origins: ["https://admin.example.com"] }))
    const token = await tokenOf(client)
    for (const origin of ["http://localhost", "https://admin.example.com"]) {
      const res = await client.post("/save", {}, { headers: { origin, "x-csrf-token": token } })
      expect(res.status).toBe(200)
    }
  })
})

describe("csrf(): exemptions", () => {
  it("skips routes declared with { csrf: false }", async () => {
    const res = await csrfApp().request("/hook", {
      method: "POST",
      headers: { origin: "https://stripe.example" },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ hook: true })
  })

  it("skips paths listed in exempt, and requests an exempt predicate accepts", async () => {
    const byPath = csrfApp({ exempt: [/^\/api\//] })
    expect((await byPath.request("/api/items", { method: "POST" })).status).toBe(200)
    expect((await byPath.request("/save", { method: "POST" })).status).toBe(403)
    const byFn = csrfApp({ exempt: (c) => c.req.header("x-internal") === "1" })
    expect(
      (await byFn.request("/save", { method: "POST", headers: { "x-internal": "1" } })).status,
    ).toBe(200)
  })

  it("skips a Bearer-authenticated request that has no session cookie", async () => {
    const res = await csrfApp().request("/api/items", {
      method: "POST",
      headers: { authorization: "Bearer abc.def" },
    })
    expect(res.status).toBe(200)
  })

  it("still checks a Bearer request that rides on a live session cookie", async () => {
    const client = createClient(csrfApp({ exempt: ["/login"] }))
    expect((await client.post("/login")).status).toBe(200)
    const res = await client.post("/api/items", undefined, {
      headers: { authorization: "Bearer abc" },
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(MISSING)
  })

  it("uses the configured header and field names", async () => {
    const client = createClient(csrfApp({ header: "X-XSRF", field: "token" }))
    const token = await tokenOf(client)
    expect((await client.post("/save", {}, { headers: { "x-xsrf": token } })).status).toBe(200)
    expect((await client.form("/save", { token, title: "t" })).status).toBe(200)
    const res = await client.form("/save", { _csrf: token, title: "t" })
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'This request needs a CSRF token and sent none. Add {% csrf %} to the form (a hidden "token" field holding c.csrfToken), or send the token in the x-xsrf header.',
    )
  })
})

describe("csrf() with regenerate()", () => {
  it("refuses a token issued before login once the session is regenerated", async () => {
    const app = new App({ logger: false })
    app.use(sessions({ secret: SECRET }), csrf())
    app.get("/form", (c) => ({ token: c.csrfToken }))
    app.post("/login", async (c) => {
      await c.session.regenerate()
      c.session.set("user", "ada")
      return { ok: true }
    })
    app.post("/save", () => ({ saved: true }))
    const client = createClient(app)
    const before = await tokenOf(client)
    expect(
      (await client.post("/login", undefined, { headers: { "x-csrf-token": before } })).status,
    ).toBe(200)
    const stale = await client.post("/save", undefined, { headers: { "x-csrf-token": before } })
    expect(await stale.json()).toEqual(MISMATCH)
    const after = await tokenOf(client)
    expect(
      (await client.post("/save", undefined, { headers: { "x-csrf-token": after } })).status,
    ).toBe(200)
  })
})
