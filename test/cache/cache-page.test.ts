import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { Cache, cachePage, redisStore } from "../../src/cache/index.js"
import { App } from "../../src/index.js"
import { hasService, SERVICES } from "../support/services.js"

describe.skipIf(!(await hasService("redis")))("cachePage() in Redis", () => {
  const client = new Redis(SERVICES.redis.url)
  afterAll(() => client.quit())
  const cache = new Cache({ store: redisStore({ client, prefix: `test:page:${randomUUID()}:` }) })
  const app = new App()
  app.use(cachePage({ cache, ttl: 60 }))
  let runs = 0
  app.get("/news", () => `news ${++runs}`)
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

  it("serves an anonymous page from the cache without running the handler", async () => {
    runs = 0
    expect(await (await app.request("/news")).text()).toBe("news 1")
    expect(await (await app.request("/news")).text()).toBe("news 1")
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
  })

  it("does not cache responses that set a cookie or say private", async () => {
    runs = 0
    await app.request("/login")
    const again = await app.request("/login")
    expect(await again.text()).toBe("login 2")
    await app.request("/nostore")
    expect(await (await app.request("/nostore")).text()).toBe("private 4")
  })

  it("keys on the headers named in Vary", async () => {
    runs = 0
    const en = () => app.request("/lang", { headers: { "accept-language": "en" } })
    const fr = () => app.request("/lang", { headers: { "accept-language": "fr" } })
    expect(await (await en()).text()).toBe("lang en 1")
    expect(await (await fr()).text()).toBe("lang fr 2")
    expect(await (await en()).text()).toBe("lang en 1")
    expect(await (await fr()).text()).toBe("lang fr 2")
  })
})
