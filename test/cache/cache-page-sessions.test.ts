import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { Cache, cachePage, redisStore } from "../../src/cache/index.js"
import { App, Blueprint } from "../../src/index.js"
import { redisStore as redisSessions, sessions } from "../../src/sessions/index.js"
import { createClient } from "../../src/testing/index.js"
import { hasService, SERVICES } from "../support/services.js"

const SECRET = "a-test-secret-of-at-least-32-characters!"

/** cachePage outermost (before sessions), or inside a blueprint after sessions. */
const ORDERS = ["cachePage before sessions()", "cachePage after sessions()"] as const

describe.skipIf(!(await hasService("redis")))("cachePage in Redis with logged-in users", () => {
  const client = new Redis(SERVICES.redis.url)
  afterAll(() => client.quit())

  function makeApp(order: (typeof ORDERS)[number]) {
    const prefix = `test:page-users:${randomUUID()}:`
    const cache = new Cache({ store: redisStore({ client, prefix }) })
    const app = new App()
    const page = cachePage({ cache, ttl: 60 })
    if (order === ORDERS[0]) app.use(page)
    app.use(sessions({ secret: SECRET, store: redisSessions({ client, prefix: `${prefix}s:` }) }))
    const site = new Blueprint()
    if (order === ORDERS[1]) site.use(page)
    const state = { runs: 0 }
    site.get("/dashboard", (c) => {
      const user = c.session.get("user")
      return `<h1>Hello ${typeof user === "string" ? user : "guest"}</h1> #${++state.runs}`
    })
    site.post("/login", async (c) => {
      const { user } = await c.req.json<{ user: string }>()
      await c.session.regenerate()
      c.session.set("user", user)
      return { user }
    })
    app.register(site)
    return { app, state, prefix }
  }

  async function pageKeys(prefix: string): Promise<string[]> {
    const keys = await client.keys(`${prefix}page*`)
    return keys.map((k) => k.slice(prefix.length)).sort()
  }

  it.each(ORDERS)("%s: never serves one user's page to another", async (order) => {
    const { app, state, prefix } = makeApp(order)
    const guest = createClient(app)
    const alice = createClient(app)
    const bob = createClient(app)
    const text = async (res: Response | Promise<Response>) => {
      const r = await res
      return [r.status, await r.text()]
    }

    expect(await text(guest.get("/dashboard"))).toEqual([200, "<h1>Hello guest</h1> #1"])
    expect(await text(guest.get("/dashboard"))).toEqual([200, "<h1>Hello guest</h1> #1"])
    expect(await guest.cookies()).toEqual({})

    expect(await text(alice.post("/login", { user: "alice" }))).toEqual([200, '{"user":"alice"}'])
    expect(await text(bob.post("/login", { user: "bob" }))).toEqual([200, '{"user":"bob"}'])
    expect(Object.keys(await alice.cookies())).toEqual(["truss_session"])
    expect((await alice.cookies()).truss_session).not.toBe((await bob.cookies()).truss_session)

    expect(await text(alice.get("/dashboard"))).toEqual([200, "<h1>Hello alice</h1> #2"])
    expect(await text(bob.get("/dashboard"))).toEqual([200, "<h1>Hello bob</h1> #3"])
    expect(await text(alice.get("/dashboard"))).toEqual([200, "<h1>Hello alice</h1> #4"])
    expect(await text(bob.get("/dashboard"))).toEqual([200, "<h1>Hello bob</h1> #5"])
    expect(await text(guest.get("/dashboard"))).toEqual([200, "<h1>Hello guest</h1> #1"])
    expect(state.runs).toBe(5)

    // Only the guest's page is in Redis: no logged-in page was ever stored.
    expect(await pageKeys(prefix)).toEqual(["page:GET http://localhost/dashboard"])
    expect(await client.get(`${prefix}page:GET http://localhost/dashboard`)).toBe(
      "200 text\ncontent-type: text/plain; charset=utf-8\n\n<h1>Hello guest</h1> #1",
    )
  })
})
