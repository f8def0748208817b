import { randomUUID } from "node:crypto"
import {
  cookieStore,
  databaseStore,
  memoryStore,
  redisStore,
  type SessionStore,
} from "truss/sessions"
import { describe, expect, it } from "vitest"
import { conformanceTargets } from "../support/conformance.js"
import { cookiePair, OLD_SECRET, SECRET, sessionApp, sleep, tamper } from "./helpers.js"

interface StoreCase {
  name: string
  make: () => SessionStore
}

const targets = await conformanceTargets()
const redis = targets.redis
const databases = targets.databases
for (const d of databases) await databaseStore({ db: d.db }).ensureTable()

const CASES: StoreCase[] = [
  { name: "cookie", make: () => cookieStore() },
  { name: "memory", make: () => memoryStore() },
]
if (redis) {
  CASES.push({
    name: "redis",
    make: () => redisStore({ client: redis, prefix: targets.prefix(`sessions:${randomUUID()}`) }),
  })
}
for (const d of databases) {
  CASES.push({ name: `database (${d.name})`, make: () => databaseStore({ db: d.db }) })
}

const json = { "content-type": "application/json" }

describe.each(CASES)("$name store: the SessionStore contract", ({ make }) => {
  it("reads back exactly the record it wrote", async () => {
    const store = make()
    const record = { data: { user: "ada", n: 2 }, created: 1000, touched: 2000 }
    const payload = await store.write("id-1", record, 60_000)
    const id = store.inCookie ? (payload as string) : "id-1"
    expect(await store.read(id)).toEqual(record)
  })

  it("returns undefined for an id it never wrote", async () => {
    const store = make()
    expect(await store.read(store.inCookie ? "" : "missing")).toBe(undefined)
  })

  it("forgets a destroyed record, when it keeps server state", async () => {
    const store = make()
    if (store.inCookie) {
      expect(store.destroy).toBe(undefined)
      return
    }
    await store.write("id-2", { data: { a: 1 }, created: 1, touched: 1 }, 60_000)
    await store.destroy!("id-2")
    expect(await store.read("id-2")).toBe(undefined)
  })

  it("drops a record once its ttl has passed, when it keeps server state", async () => {
    const store = make()
    if (store.inCookie) return
    await store.write("id-3", { data: { a: 1 }, created: 1, touched: 1 }, 150)
    expect((await store.read("id-3"))?.data).toEqual({ a: 1 })
    await sleep(250)
    expect(await store.read("id-3")).toBe(undefined)
  })
})

describe.each(CASES)("$name store: sessions() behaviour", ({ make }) => {
  it("sends no cookie to a visitor whose session stays empty", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const res = await app.request("/get")
    expect(await res.json()).toEqual({ user: null, isNew: true, hasId: !make().inCookie })
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it("keeps a value set in one request for the next, with HttpOnly and SameSite=Lax", async () => {
    const store = make()
    const app = sessionApp({ secret: SECRET, store })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    expect(await set.json()).toEqual({ isNew: true })
    const line = set.headers.getSetCookie()[0]!
    expect(line).toMatch(
      /^truss_session=[\w-]+\.[\w-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    const res = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(await res.json()).toEqual({ user: "ada", isNew: false, hasId: !store.inCookie })
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it("marks the cookie Secure on HTTPS", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const res = await app.request("https://localhost/set", {
      method: "POST",
      headers: json,
      body: '{"user":"ada"}',
    })
    expect(res.headers.getSetCookie()[0]).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
  })

  it("refuses a tampered cookie: a new empty session, and the cookie is cleared", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const res = await app.request("/get", { headers: { cookie: tamper(cookiePair(set)) } })
    expect(await res.json()).toMatchObject({ user: null, isNew: true })
    expect(res.headers.getSetCookie()).toEqual([
      "truss_session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ])
  })

  it("refuses a cookie signed with another secret", async () => {
    const store = make()
    const other = sessionApp({ secret: OLD_SECRET, store })
    const set = await other.request("/set", {
      method: "POST",
      headers: json,
      body: '{"user":"eve"}',
    })
    const app = sessionApp({ secret: SECRET, store })
    const res = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(await res.json()).toMatchObject({ user: null, isNew: true })
  })

  it("rotates secrets: a cookie signed by an old secret still verifies, and new cookies use the first", async () => {
    const store = make()
    const before = sessionApp({ secret: OLD_SECRET, store })
    const set = await before.request("/set", {
      method: "POST",
      headers: json,
      body: '{"user":"ada"}',
    })
    const after = sessionApp({ secrets: [SECRET, OLD_SECRET], store })
    const res = await after.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(await res.json()).toMatchObject({ user: "ada", isNew: false })
    const resigned = await after.request("/set", {
      method: "POST",
      headers: { ...json, cookie: cookiePair(set) },
      body: '{"user":"ada2"}',
    })
    const onlyNew = sessionApp({ secret: SECRET, store })
    const check = await onlyNew.request("/get", { headers: { cookie: cookiePair(resigned) } })
    expect(await check.json()).toMatchObject({ user: "ada2", isNew: false })
  })

  it("regenerate() keeps the values under a new id and retires the old id", async () => {
    const store = make()
    const app = sessionApp({ secret: SECRET, store })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const old = cookiePair(set)
    await sleep(2) // a cookie-store record differs only by its timestamps
    const regen = await app.request("/regenerate", { method: "POST", headers: { cookie: old } })
    expect(await regen.json()).toEqual({ changed: !store.inCookie, user: "ada" })
    const fresh = cookiePair(regen)
    expect(fresh).not.toBe(old)
    const withNew = await app.request("/get", { headers: { cookie: fresh } })
    expect(await withNew.json()).toMatchObject({ user: "ada", isNew: false })
    const withOld = await app.request("/get", { headers: { cookie: old } })
    // A cookie session has no server state to retire: its old cookie stays valid until it expires.
    expect(await withOld.json()).toMatchObject({ user: store.inCookie ? "ada" : null })
  })

  it("destroy() empties the session and expires the cookie", async () => {
    const store = make()
    const app = sessionApp({ secret: SECRET, store })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const old = cookiePair(set)
    const res = await app.request("/destroy", { method: "POST", headers: { cookie: old } })
    expect(await res.json()).toEqual({ user: null })
    expect(res.headers.getSetCookie()).toEqual([
      "truss_session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    ])
    const again = await app.request("/get", { headers: { cookie: old } })
    expect(await again.json()).toMatchObject({ user: store.inCookie ? "ada" : null })
  })

  it("clearing every value deletes the session and its cookie", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    const res = await app.request("/clear", {
      method: "POST",
      headers: { cookie: cookiePair(set) },
    })
    expect(res.headers.getSetCookie()[0]).toBe(
      "truss_session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    )
  })

  it("expires a session idle for longer than idleTimeout", async () => {
    const app = sessionApp({ secret: SECRET, store: make(), idleTimeout: 0.3 })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    expect(set.headers.getSetCookie()[0]).toContain("; Max-Age=1; Path=/;")
    const soon = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(await soon.json()).toMatchObject({ user: "ada" })
    await sleep(400)
    const late = await app.request("/get", { headers: { cookie: cookiePair(set) } })
    expect(await late.json()).toMatchObject({ user: null, isNew: true })
  })

  it("expires an active session after absoluteTimeout, even with rolling saves", async () => {
    // Generous margins: the suite runs beside PostgreSQL, MariaDB and Redis under load.
    const app = sessionApp({ secret: SECRET, store: make(), absoluteTimeout: 1, rolling: true })
    const set = await app.request("/set", { method: "POST", headers: json, body: '{"user":"ada"}' })
    let cookie = cookiePair(set)
    for (let i = 0; i < 2; i++) {
      await sleep(200)
      const res = await app.request("/get", { headers: { cookie } })
      expect(await res.json()).toMatchObject({ user: "ada" })
      cookie = cookiePair(res)
    }
    await sleep(700)
    const late = await app.request("/get", { headers: { cookie } })
    expect(await late.json()).toMatchObject({ user: null, isNew: true })
  })

  it("shows a flash message exactly once, after the redirect", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const post = await app.request("/flash", { method: "POST" })
    expect(post.status).toBe(303)
    const cookie = cookiePair(post)
    const shown = await app.request("/show", { headers: { cookie } })
    expect(await shown.json()).toEqual({ flashes: [{ category: "success", message: "Saved" }] })
    const next = await app.request("/show", { headers: { cookie: cookiePair(shown) } })
    expect(await next.json()).toEqual({ flashes: [] })
  })

  it("saves nothing when the handler fails with a 5xx", async () => {
    const app = sessionApp({ secret: SECRET, store: make() })
    const res = await app.request("/boom")
    expect(res.status).toBe(500)
    expect(res.headers.getSetCookie()).toEqual([])
  })
})
