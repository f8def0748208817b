import { createServer, type Socket } from "node:net"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { Cache, redisStore as cacheRedisStore } from "../../src/cache/index.js"
import { App } from "../../src/index.js"
import { connect } from "../../src/orm/index.js"
import { rateLimit, redisRateLimitStore } from "../../src/security/index.js"
import { redisStore, sessions } from "../../src/sessions/index.js"
import { createClient } from "../../src/testing/index.js"
import { OwnRedis } from "./own-redis.js"

// A client as the docs write it: `new Redis(url)`, ioredis's defaults (offline queue on,
// 20 retries per request), which would hold a command ~10 s while the server is down.
describe("the Redis stores fail fast on a default ioredis client whose server died", async () => {
  const redis = await OwnRedis.start()
  const client = new Redis(redis.url).on("error", () => {})
  await client.ping()
  await redis.kill()
  await new Promise((r) => setTimeout(r, 100)) // the client sees the close
  afterAll(async () => {
    client.disconnect()
    await redis.destroy()
  })

  const timed = async (run: () => Promise<Response>) => {
    const start = Date.now()
    const res = await run()
    const body = (await res.json()) as { code: string }
    return { status: res.status, code: body.code, ms: Date.now() - start }
  }

  it("sessions(): 503 TRUSS_ERR_SESSION_STORE_UNAVAILABLE within 1 s", async () => {
    const app = new App({ logger: false })
    const store = redisStore({ client })
    app.use(sessions({ secret: "fail-fast-secret-fail-fast-secret-0123", store }))
    app.post("/visit", (c) => {
      c.session.set("n", 1)
      return { ok: true }
    })
    const r = await timed(() => createClient(app).post("/visit"))
    expect([r.status, r.code]).toEqual([503, "TRUSS_ERR_SESSION_STORE_UNAVAILABLE"])
    expect(r.ms).toBeLessThan(1000)
  })

  it("rateLimit(): 503 TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE within 1 s", async () => {
    const app = new App({ logger: false })
    app.use(rateLimit({ window: 60, max: 10, store: redisRateLimitStore({ client }) }))
    app.get("/", () => "ok")
    const r = await timed(() => createClient(app).get("/"))
    expect([r.status, r.code]).toEqual([503, "TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE"])
    expect(r.ms).toBeLessThan(1000)
  })

  it("the cache: every call is a miss at once, not after the Cache's timeout", async () => {
    const store = cacheRedisStore({ client })
    await expect(store.get(["k"])).rejects.toThrow(/^Redis is unreachable \(reconnecting\)$/)
    const warnings: string[] = []
    const cache = new Cache({ store, warn: (message) => warnings.push(message) })
    const start = Date.now()
    expect(await cache.get("k")).toBeUndefined()
    expect(await cache.remember("k", 60, async () => 42)).toBe(42)
    expect(Date.now() - start).toBeLessThan(500)
    expect(warnings).toEqual([
      "truss/cache: the cache store failed; cache calls are misses until it is back",
    ])
  })

  it("a store call waits at most timeoutMs while the client is connecting", async () => {
    const lazy = new Redis(redis.url, { lazyConnect: true }).on("error", () => {})
    const store = redisRateLimitStore({ client: lazy, timeoutMs: 300 })
    const start = Date.now()
    await expect(store.hit("k", 1, 1000)).rejects.toThrow(/did not answer within 300 ms/)
    expect(Date.now() - start).toBeLessThan(1000)
    lazy.disconnect()
  })
})

describe("a PostgreSQL that accepts but never answers", () => {
  it("fails a query with 503 TRUSS_ERR_ORM_UNAVAILABLE after the 5 s connect timeout", async () => {
    const held = new Set<Socket>()
    const silent = createServer((s) => held.add(s))
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r))
    const { port } = silent.address() as { port: number }
    const db = await connect(`postgres://postgres@127.0.0.1:${port}/test`)
    const start = Date.now()
    await expect(db.run("SELECT 1", [])).rejects.toMatchObject({
      code: "TRUSS_ERR_ORM_UNAVAILABLE",
      status: 503,
    })
    expect(Date.now() - start).toBeGreaterThanOrEqual(4900)
    expect(Date.now() - start).toBeLessThan(8000)
    for (const s of held) s.destroy()
    silent.close()
    await db.close()
  }, 20_000)
})
