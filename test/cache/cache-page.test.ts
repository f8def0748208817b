import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import {
  Cache,
  type CacheStore,
  cachePage,
  memoryStore,
  redisStore,
} from "../../src/cache/index.js"
import { App, type Context } from "../../src/index.js"
import { WebRequest } from "../../src/server/web-request.js"
import { hasService, SERVICES } from "../support/services.js"

const redisUp = await hasService("redis")
const client = redisUp ? new Redis(SERVICES.redis.url) : undefined
afterAll(() => client?.quit())

const STORES: [string, () => CacheStore][] = [["memory", () => memoryStore()]]
if (client) {
  const store = () => redisStore({ client, prefix: `test:page:${randomUUID()}:` })
  STORES.push(["Redis", store])
} else console.log("cachePage: Redis is not running on 127.0.0.1:6379; its cases are skipped")

describe.each(STORES)("cachePage() on the %s store", (_name, makeStore) => {
  const cache = new Cache({ store: makeStore() })
  const app = new App()
  app.use(cachePage({ cache, ttl: 60 }))
  let runs = 0
  app.get("/news", () => `news ${++runs}`)
  app.get("/json", (c) => {
    c.header("x-served-by", "truss")
    return { n: ++runs, at: "2026-12-03" }
  })
  app.get("/bytes", (c) => {
    c.header("content-type", "application/octet-stream")
    c.body = new Uint8Array([0, 10, 13, 255, ++runs])
  })
  app.get("/me", (c) => `user ${c.req.header("cookie")} ${++runs}`)
  app.get("/login", (c) => {
    c.cookie("sid", "abc")
    return `login ${++runs}`
  })
  app.get("/lang", (c) => {
    c.header("vary", "Accept-Language")
    return `lang ${c.req.header("accept-language")} ${++runs}`
  })
  app.get("/nostore", (c) => {
    c.header("cache-control", "private")
    return `private ${++runs}`
  })
  app.get("/status", (c) => c.text(`created ${++runs}`, 201))

  it("serves an anonymous page from the cache without running the handler", async () => {
    runs = 0
    expect(await (await app.request("/news")).text()).toBe("news 1")
    expect(await (await app.request("/news")).text()).toBe("news 1")
    expect(await (await app.request("/news?x=1")).text()).toBe("news 2")
    expect(runs).toBe(2)
  })

  it("answers a hit with the stored status, headers and exact body", async () => {
    runs = 0
    const first = await app.request("/json")
    const second = await app.request("/json")
    for (const res of [first, second]) {
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toBe("application/json")
      expect(res.headers.get("x-served-by")).toBe("truss")
      expect(await res.text()).toBe('{"n":1,"at":"2026-12-03"}')
    }
    const head = await app.request("/json", { method: "HEAD" })
    expect([head.status, head.headers.get("x-served-by"), await head.text()]).toEqual([
      200,
      "truss",
      "",
    ])
    expect(runs).toBe(1)
  })

  it("keeps byte bodies byte for byte", async () => {
    runs = 0
    for (let i = 0; i < 3; i++) {
      const res = await app.request("/bytes")
      expect(res.headers.get("content-type")).toBe("application/octet-stream")
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 10, 13, 255, 1])
    }
    expect(runs).toBe(1)
  })

  it("never serves one user's page to another", async () => {
    runs = 0
    const alice = await app.request("/me", { headers: { cookie: "sid=alice" } })
    const bob = await app.request("/me", { headers: { cookie: "sid=bob" } })
    const anon = await app.request("/me")
    expect(await alice.text()).toBe("user sid=alice 1")
    expect(await bob.text()).toBe("user sid=bob 2")
    expect(await anon.text()).toBe("user undefined 3")
    expect(
      await (await app.request("/me", { headers: { authorization: "Bearer x" } })).text(),
    ).toBe("user undefined 4")
    expect(await (await app.request("/me", { headers: { cookie: "sid=alice" } })).text()).toBe(
      "user sid=alice 5",
    )
  })

  it("does not cache responses that set a cookie, say private or are not a 200", async () => {
    runs = 0
    await app.request("/login")
    const again = await app.request("/login")
    expect(await again.text()).toBe("login 2")
    expect(again.headers.get("set-cookie")).toBe("sid=abc; Path=/; HttpOnly; SameSite=Lax")
    await app.request("/nostore")
    expect(await (await app.request("/nostore")).text()).toBe("private 4")
    await app.request("/status")
    const created = await app.request("/status")
    expect([created.status, await created.text()]).toEqual([201, "created 6"])
  })

  it("keys on the headers named in Vary", async () => {
    runs = 0
    const en = () => app.request("/lang", { headers: { "accept-language": "en" } })
    const fr = () => app.request("/lang", { headers: { "accept-language": "fr" } })
    expect(await (await en()).text()).toBe("lang en 1")
    expect(await (await fr()).text()).toBe("lang fr 2")
    expect(await (await en()).text()).toBe("lang en 1")
    const hit = await fr()
    expect(await hit.text()).toBe("lang fr 2")
    expect(hit.headers.get("vary")).toBe("Accept-Language")
    expect(await (await app.request("/lang")).text()).toBe("lang undefined 3")
  })
})

describe("cachePage() on the memory store", () => {
  const request = (path: string) => new WebRequest(new Request(`http://localhost${path}`))

  it("answers a hit in the same tick, without a promise", async () => {
    const store = memoryStore()
    const app = new App({ logger: false })
    app.use(cachePage({ cache: new Cache({ store }), ttl: 60 }))
    let runs = 0
    app.get("/news", () => `news ${++runs}`)
    const miss = app.handle(request("/news"))
    expect(miss).toBeInstanceOf(Promise)
    expect((await miss).body).toBe("news 1")
    const hit = app.handle(request("/news"))
    expect(hit).not.toBeInstanceOf(Promise)
    expect([(hit as Context).status, (hit as Context).body, runs]).toEqual([200, "news 1", 1])
    expect(store.size).toBe(1)
  })

  it("reads through a tagged view with a promise, with the same answers", async () => {
    const cache = new Cache({ store: memoryStore() }).tags("pages")
    const app = new App({ logger: false })
    app.use(cachePage({ cache, ttl: 60 }))
    let runs = 0
    app.get("/news", () => `news ${++runs}`)
    await app.request("/news")
    const hit = app.handle(request("/news"))
    expect(hit).toBeInstanceOf(Promise)
    expect((await hit).body).toBe("news 1")
    await cache.flushTags("pages")
    expect(await (await app.request("/news")).text()).toBe("news 2")
  })
})
