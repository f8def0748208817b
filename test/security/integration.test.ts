import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { App, escapeHtml, type TrussServer } from "truss"
import { csrf, rateLimit, redisRateLimitStore, secureHeaders } from "truss/security"
import { redisStore, sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hasService, SERVICES } from "../support/services.js"

const SECRET = "integration-secret-integration-secret-01"
const up = await hasService("redis")

/** One instance of the site: sessions and rate limits live in the shared Redis. */
function site(redis: Redis, prefix: string): App {
  const app = new App({ logger: false })
  app.use(
    secureHeaders(),
    sessions({ secret: SECRET, store: redisStore({ client: redis, prefix: `${prefix}sess:` }) }),
    csrf(),
  )
  app.get("/", (c) => {
    const user = c.session.get("user")
    const flashes = c.session
      .flashes()
      .map((f) => `<p class="${f.category}">${escapeHtml(f.message)}</p>`)
      .join("")
    return c.html(
      `${flashes}<h1>Hello ${user === undefined ? "stranger" : escapeHtml(String(user))}</h1>`,
    )
  })
  app.get("/login", (c) =>
    c.html(`<form method="post"><input type="hidden" name="_csrf" value="${c.csrfToken}"></form>`),
  )
  app.post("/login", async (c) => {
    const form = await c.req.form()
    await c.session.regenerate()
    c.session.set("user", String(form.get("username")))
    c.flash("success", "Welcome back")
    return c.redirect("/", 303)
  })
  app.post("/notes", async (c) => ({ saved: (await c.req.form()).get("text") }))
  app.get(
    "/api/ping",
    // Sliding, so the test holds even when it straddles a window boundary.
    rateLimit({
      window: 60,
      max: 5,
      algorithm: "sliding",
      store: redisRateLimitStore({ client: redis }),
      prefix: `${prefix}rl:`,
    }),
    () => ({ pong: true }),
  )
  return app
}

function tokenIn(html: string): string {
  const m = /name="_csrf" value="([\w-]+)"/.exec(html)
  if (!m) throw new Error(`no token in ${html}`)
  return m[1]!
}

describe.skipIf(!up)("a real server with sessions, CSRF and a rate limit shared in Redis", () => {
  let redis: Redis
  let apps: App[]
  let a: TrussServer
  let b: TrussServer

  beforeAll(async () => {
    redis = new Redis(SERVICES.redis.url)
    const prefix = `test:${randomUUID()}:`
    apps = [site(redis, prefix), site(redis, prefix)]
    a = await apps[0]!.listen({ port: 0, host: "127.0.0.1", signals: false })
    b = await apps[1]!.listen({ port: 0, host: "127.0.0.1", signals: false })
  })

  afterAll(async () => {
    for (const app of apps ?? []) await app.close()
    await redis?.quit()
  })

  it("logs in, refuses forged requests and tampered cookies, shows a flash once, and limits across instances", async () => {
    const client = createClient(a.url)

    // Log in through the form: the CSRF token comes from the session.
    const form = await client.get("/login")
    expect(form.status).toBe(200)
    const token = tokenIn(await form.text())
    const login = await client.form("/login", { _csrf: token, username: "ada" })
    expect(login.status).toBe(303)
    expect(login.headers.get("location")).toBe("/")
    const cookie = login.headers.getSetCookie()[0]!
    expect(cookie).toMatch(
      /^truss_session=[\w-]{32}\.[\w-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/,
    )

    // The flash shows exactly once, on either instance (the session is in Redis).
    const first = await client.get(`${b.url}/`)
    expect(await first.text()).toBe('<p class="success">Welcome back</p><h1>Hello ada</h1>')
    const second = await client.get("/")
    expect(await second.text()).toBe("<h1>Hello ada</h1>")

    // A tampered cookie is refused: a new, empty session, and the cookie is cleared.
    const pair = (await client.jar.getCookieString(a.url))
      .split("; ")
      .find((c) => c.startsWith("truss_session="))!
    const value = pair.slice("truss_session=".length)
    const forged = `truss_session=${value.slice(0, 5)}${value[5] === "x" ? "y" : "x"}${value.slice(6)}`
    const tampered = await fetch(`${a.url}/`, { headers: { cookie: forged } })
    expect(await tampered.text()).toBe("<h1>Hello stranger</h1>")
    expect(tampered.headers.getSetCookie()).toEqual([
      "truss_session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ])

    // A cross-site POST without a token is refused with its code.
    const crossSite = await client.form(
      "/notes",
      { text: "pwned" },
      { headers: { origin: "https://evil.example", accept: "application/json" } },
    )
    expect(crossSite.status).toBe(403)
    expect(((await crossSite.json()) as { code: string }).code).toBe("TRUSS_ERR_CSRF_BAD_ORIGIN")
    const noToken = await client.form("/notes", { text: "no token" })
    expect(noToken.status).toBe(403)
    expect(((await noToken.json()) as { code: string }).code).toBe("TRUSS_ERR_CSRF_MISSING")

    // A POST with the token from the session succeeds, on either instance.
    const fresh = tokenIn(await (await client.get("/login")).text())
    const ok = await client.form(
      `${b.url}/notes`,
      { _csrf: fresh, text: "hello" },
      { headers: { origin: b.url } },
    )
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ saved: "hello" })

    // Five pings in 60 s, counted in Redis across both instances; the sixth is refused.
    const statuses: number[] = []
    for (let i = 0; i < 6; i++)
      statuses.push((await fetch(`${(i % 2 ? b : a).url}/api/ping`)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    const limited = await fetch(`${a.url}/api/ping`, { headers: { accept: "application/json" } })
    expect(limited.status).toBe(429)
    expect(limited.headers.get("ratelimit-remaining")).toBe("0")
    const retryAfter = Number(limited.headers.get("retry-after"))
    expect(retryAfter >= 1 && retryAfter <= 60).toBe(true)
    expect(((await limited.json()) as { code: string }).code).toBe("TRUSS_ERR_RATE_LIMITED")
  })
})
