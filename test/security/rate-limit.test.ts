import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import { App } from "truss"
import {
  memoryRateLimitStore,
  type RateLimitStore,
  rateLimit,
  rateLimiter,
  redisRateLimitStore,
} from "truss/security"
import { describe, expect, it } from "vitest"
import { conformanceTargets } from "../support/conformance.js"

const { redis } = await conformanceTargets({ databases: false })

const STORES: { name: string; make: () => RateLimitStore }[] = [
  { name: "memory", make: () => memoryRateLimitStore() },
]
if (redis) STORES.push({ name: "redis", make: () => redisRateLimitStore({ client: redis }) })

/** Waits for the start of a fresh window, so a test never straddles a boundary. */
async function windowStart(seconds: number, into = 0.02): Promise<void> {
  const ms = seconds * 1000
  await sleep(ms - (Date.now() % ms) + into * ms)
}

describe.each(STORES)("$name rate-limit store: the RateLimitStore contract", ({ make }) => {
  it("counts hits per key and window, and reports the previous window", async () => {
    const store = make()
    const key = `test:${randomUUID()}`
    expect(await store.hit(key, 100, 1000)).toEqual({ current: 1, previous: 0 })
    expect(await store.hit(key, 100, 1000)).toEqual({ current: 2, previous: 0 })
    expect(await store.hit(`${key}:other`, 100, 1000)).toEqual({ current: 1, previous: 0 })
    expect(await store.hit(key, 101, 1000)).toEqual({ current: 1, previous: 2 })
    expect(await store.hit(key, 103, 1000)).toEqual({ current: 1, previous: 0 })
  })

  it("counts concurrent hits atomically", async () => {
    const store = make()
    const key = `test:${randomUUID()}`
    const results = await Promise.all(Array.from({ length: 50 }, () => store.hit(key, 7, 1000)))
    expect(results.map((r) => r.current).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
  })
})

describe.each(STORES)("$name rate-limit store: rateLimit()", ({ make }) => {
  function limitedApp(options: { max: number; window: number; algorithm?: "fixed" | "sliding" }) {
    const app = new App({ logger: false })
    app.use(rateLimit({ ...options, store: make(), prefix: `test:${randomUUID()}:` }))
    app.get("/", () => "ok")
    return app
  }

  it("counts down RateLimit-Remaining, then answers 429 problem+json with Retry-After", async () => {
    await windowStart(2)
    const app = limitedApp({ window: 2, max: 3 })
    for (const remaining of ["2", "1", "0"]) {
      const res = await app.request("/")
      expect(res.status).toBe(200)
      expect(res.headers.get("ratelimit-limit")).toBe("3")
      expect(res.headers.get("ratelimit-remaining")).toBe(remaining)
      expect(res.headers.get("ratelimit-reset")).toBe("2")
    }
    const res = await app.request("/")
    expect(res.status).toBe(429)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(res.headers.get("retry-after")).toBe("2")
    expect(res.headers.get("ratelimit-remaining")).toBe("0")
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      code: "TRUSS_ERR_RATE_LIMITED",
      detail: "Too many requests. Wait 2 seconds before trying again.",
    })
  })

  it("fixed: allows requests again once the window has passed", async () => {
    await windowStart(0.5)
    const app = limitedApp({ window: 0.5, max: 1 })
    expect((await app.request("/")).status).toBe(200)
    expect((await app.request("/")).status).toBe(429)
    await windowStart(0.5)
    expect((await app.request("/")).status).toBe(200)
  })

  it("sliding: still counts the previous window's hits early in the next window", async () => {
    await windowStart(1)
    const fixed = limitedApp({ window: 1, max: 4 })
    const sliding = limitedApp({ window: 1, max: 4, algorithm: "sliding" })
    for (let i = 0; i < 4; i++) {
      expect((await fixed.request("/")).status).toBe(200)
      expect((await sliding.request("/")).status).toBe(200)
    }
    await windowStart(1, 0.1)
    expect((await fixed.request("/")).status).toBe(200)
    // 1 + 4 × ~0.9 of the previous window still overlapping = ~4.6 > 4.
    const res = await sliding.request("/")
    expect(res.status).toBe(429)
    expect(res.headers.get("retry-after")).toBe("1")
  })

  it("keys by client IP by default, and by the key function when given", async () => {
    const store = make()
    const prefix = `test:${randomUUID()}:`
    const byIp = new App({ logger: false }).use(rateLimit({ window: 60, max: 1, store, prefix }))
    byIp.get("/", () => "ok")
    const from = (ip: string) => byIp.fetch(new Request("http://localhost/"), { remoteAddress: ip })
    expect((await from("203.0.113.1")).status).toBe(200)
    expect((await from("203.0.113.2")).status).toBe(200)
    expect((await from("203.0.113.1")).status).toBe(429)
    const byUser = new App({ logger: false }).use(
      rateLimit({
        window: 60,
        max: 1,
        store,
        prefix: `${prefix}u:`,
        key: (c) => c.req.header("x-user") ?? "",
      }),
    )
    byUser.get("/", () => "ok")
    expect((await byUser.request("/", { headers: { "x-user": "ada" } })).status).toBe(200)
    expect((await byUser.request("/", { headers: { "x-user": "bob" } })).status).toBe(200)
    expect((await byUser.request("/", { headers: { "x-user": "ada" } })).status).toBe(429)
  })
})

describe("rateLimit() per route and rateLimiter()", () => {
  it("limits one route more strictly as route middleware", async () => {
    const app = new App({ logger: false })
    app.use(rateLimit({ window: 60, max: 100, headers: false }))
    app.post("/login", rateLimit({ window: 60, max: 2 }), () => "ok")
    app.get("/", () => "ok")
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push((await app.request("/login", { method: "POST" })).status)
    expect(statuses).toEqual([200, 200, 429])
    const home = await app.request("/")
    expect(home.status).toBe(200)
    expect(home.headers.get("ratelimit-limit")).toBe(null)
  })

  it("rateLimiter() counts any key, for throttling logins by user name", async () => {
    const logins = rateLimiter({ window: 60, max: 2 })
    expect((await logins.hit("ada")).limited).toBe(false)
    expect((await logins.hit("ada")).remaining).toBe(0)
    const third = await logins.hit("ada")
    expect(third.limited).toBe(true)
    expect(third.retryAfter).toBe(third.reset)
    expect((await logins.hit("bob")).limited).toBe(false)
  })

  it("refuses a window or max that is not positive", () => {
    expect(() => rateLimiter({ window: 0, max: 1 })).toThrow(
      "Option rateLimit window is invalid: expected seconds > 0, got 0.",
    )
    expect(() => rateLimiter({ window: 1, max: 1.5 })).toThrow(
      "Option rateLimit max is invalid: expected an integer ≥ 1, got 1.5.",
    )
  })
})
