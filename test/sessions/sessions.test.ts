import { Writable } from "node:stream"
import { pino } from "pino"
import { App } from "truss"
import {
  memoryStore,
  type SessionRecord,
  type SessionStore,
  sessionErrors,
  sessions,
} from "truss/sessions"
import { afterEach, describe, expect, it } from "vitest"
import { cookiePair, SECRET, sessionApp, sleep } from "./helpers.js"

const json = { "content-type": "application/json" }

/** A real memory store that also counts writes. */
function countingStore(): SessionStore & { writes: number } {
  const inner = memoryStore()
  const store = {
    writes: 0,
    read: (id: string) => inner.read(id),
    write: (id: string, record: SessionRecord, ttl: number) => {
      store.writes++
      return inner.write(id, record, ttl)
    },
    destroy: (id: string) => inner.destroy!(id),
  }
  return store
}

describe("sessions() setup", () => {
  it("refuses to start without a secret", () => {
    expect(() => sessions({})).toThrow(
      "sessions() needs a secret to sign its cookie: pass sessions({ secret }) with at least 32 random characters (e.g. from process.env.SESSION_SECRET), or secrets: [newest, ...older] to rotate.",
    )
    expect(sessionErrors.SECRET_MISSING.is(catchError(() => sessions({ secrets: [] })))).toBe(true)
  })

  it("refuses a secret shorter than 32 characters", () => {
    const err = catchError(() => sessions({ secret: "short" }))
    expect(sessionErrors.SECRET_WEAK.is(err)).toBe(true)
    expect((err as Error).message).toMatch(
      /^A session secret is 5 characters long; use at least 32/,
    )
  })

  it("refuses a timeout that is not positive", () => {
    expect(() => sessions({ secret: SECRET, idleTimeout: 0 })).toThrow(
      "Option idleTimeout is invalid: expected seconds > 0, got 0.",
    )
  })
})

describe("sessions() saving", () => {
  it("writes the store only when the session changed", async () => {
    const store = countingStore()
    const app = sessionApp({ secret: SECRET, store })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const cookie = cookiePair(set)
    await app.request("/get", { headers: { cookie } })
    await app.request("/get", { headers: { cookie } })
    expect(store.writes).toBe(1)
  })

  it("writes on every request with rolling: true, re-sending the cookie", async () => {
    const store = countingStore()
    const app = sessionApp({ secret: SECRET, store, rolling: true })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const res = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(store.writes).toBe(2)
    expect(res.headers.getSetCookie()).toHaveLength(1)
  })

  it("re-saves an unchanged session once a quarter of the idle timeout has passed", async () => {
    const store = countingStore()
    const app = sessionApp({ secret: SECRET, store, idleTimeout: 0.4 })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    await sleep(150)
    const res = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(store.writes).toBe(2)
    await sleep(300)
    // 450 ms after the first save but 300 ms after the touch: still alive.
    const later = await app.request("/get", { headers: { cookie: cookiePair(res) } })
    expect(await later.json()).toMatchObject({ user: "ada", isNew: false })
  })

  it("uses the cookie options: name, path, domain, SameSite, Secure, and a browser-session cookie", async () => {
    const app = sessionApp({
      secret: SECRET,
      cookie: {
        name: "sid",
        path: "/app",
        domain: "example.com",
        sameSite: "strict",
        secure: true,
        maxAge: false,
      },
    })
    const res = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    expect(res.headers.getSetCookie()[0]).toMatch(
      /^sid=[\w-]+\.[\w-]{43}; Domain=example\.com; Path=\/app; HttpOnly; Secure; SameSite=Strict$/,
    )
  })

  it("sends the handler's response and keeps the old cookie when a cookie session outgrows 4 KB, logging TRUSS_ERR_SESSION_COOKIE_TOO_LARGE", async () => {
    const lines: { level: number; msg: string; err?: { code: string; message: string } }[] = []
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)))
        done()
      },
    })
    const app = new App({ logger: pino(destination) })
    app.use(sessions({ secret: SECRET }))
    let writes = 0
    app.post("/set", async (c) => {
      writes++ // the handler's work: done once, whatever happens to the cookie
      c.session.set("user", ((await c.req.json()) as { user: string }).user)
      return c.json({ saved: true }, 201)
    })
    const small = await app.request("/set", {
      method: "POST",
      headers: json,
      body: '{"user":"ada"}',
    })
    expect(small.headers.getSetCookie()).toHaveLength(1)
    const res = await app.request("/set", {
      method: "POST",
      headers: { ...json, cookie: cookiePair(small) },
      body: JSON.stringify({ user: "x".repeat(3000) }),
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ saved: true })
    expect(res.headers.getSetCookie()).toEqual([])
    expect(writes).toBe(2)
    const logged = lines.find((l) => l.err?.code === "TRUSS_ERR_SESSION_COOKIE_TOO_LARGE")
    expect(logged?.level).toBe(50)
    expect(logged?.msg).toBe("session not saved: its cookie is too large")
    expect(logged?.err?.message).toMatch(
      /^The signed session cookie would be 4\d{3} bytes, over the 4096-byte limit browsers keep\./,
    )
  })

  it("keeps at most the last 10 flash messages, so many flashes never outgrow the cookie", async () => {
    const app = new App({ logger: false })
    app.use(sessions({ secret: SECRET }))
    app.post("/spam", (c) => {
      for (let i = 1; i <= 500; i++) c.flash("info", `Message number ${i} with some text in it`)
      return "queued"
    })
    app.get("/show", (c) => ({ messages: c.session.flashes().map((f) => f.message) }))
    const spam = await app.request("/spam", { method: "POST" })
    expect(spam.status).toBe(200)
    expect(spam.headers.getSetCookie()).toHaveLength(1)
    const shown = await app.request("/show", { headers: { cookie: cookiePair(spam) } })
    expect(await shown.json()).toEqual({
      messages: Array.from(
        { length: 10 },
        (_, i) => `Message number ${491 + i} with some text in it`,
      ),
    })
  })

  it("returns this request's flashes too, Flask-style, and then forgets them", async () => {
    const app = new App({ logger: false })
    app.use(sessions({ secret: SECRET }))
    app.post("/now", (c) => {
      c.flash("error", "Fix the form")
      return { first: c.session.flashes(), second: c.session.flashes() }
    })
    const res = await app.request("/now", { method: "POST" })
    expect(await res.json()).toEqual({
      first: [{ category: "error", message: "Fix the form" }],
      second: [],
    })
  })
})

describe("memoryStore() in production", () => {
  const env = process.env.NODE_ENV
  afterEach(() => {
    process.env.NODE_ENV = env
  })

  function appLogging(debug: boolean): { app: App; lines: string[] } {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const app = new App({ debug, logger: pino(sink) })
    app.use(sessions({ secret: SECRET, store: memoryStore() }))
    app.get("/", () => "ok")
    return { app, lines }
  }

  it("logs one warning when NODE_ENV=production and debug is off", async () => {
    process.env.NODE_ENV = "production"
    const { app, lines } = appLogging(false)
    await app.request("/")
    await app.request("/")
    const warnings = warningsIn(lines)
    expect(warnings).toEqual([
      "sessions(): the memory store loses every session on restart and is not shared between processes; use redisStore() or databaseStore() in production",
    ])
  })

  it("stays quiet in debug mode", async () => {
    process.env.NODE_ENV = "production"
    const { app, lines } = appLogging(true)
    await app.request("/")
    expect(warningsIn(lines)).toEqual([])
  })
})

function warningsIn(lines: string[]): string[] {
  return lines
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level === 40)
    .map((l) => l.msg)
}

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe("sessions() behind a proxy", () => {
  it("sets Secure when a trusted proxy says the request was HTTPS", async () => {
    const app = new App({ logger: false, trustProxy: "loopback" })
    app.use(sessions({ secret: SECRET }))
    app.post("/", (c) => {
      c.session.set("user", "ada")
      return "ok"
    })
    const proxied = await app.request("/", {
      method: "POST",
      headers: { "x-forwarded-proto": "https" },
    })
    expect(proxied.headers.getSetCookie()[0]).toMatch(/; HttpOnly; Secure; SameSite=Lax$/)
    const untrusted = new App({ logger: false })
    untrusted.use(sessions({ secret: SECRET }))
    untrusted.post("/", (c) => {
      c.session.set("user", "ada")
      return "ok"
    })
    const direct = await untrusted.request("/", {
      method: "POST",
      headers: { "x-forwarded-proto": "https" },
    })
    expect(direct.headers.getSetCookie()[0]).toMatch(/; HttpOnly; SameSite=Lax$/)
  })
})
