import { randomUUID } from "node:crypto"
import { createServer, type Socket } from "node:net"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { Cache, memoryStore, redisStore } from "../../src/cache/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { freePort, noticedDown, outageClient, ready, startRedis, stop } from "./redis-server.js"

describe("memory store bounds", () => {
  it("evicts the least recently used entry past maxEntries", async () => {
    const store = memoryStore({ maxEntries: 2 })
    const cache = new Cache({ store })
    await cache.set("a", 1, 60)
    await cache.set("b", 2, 60)
    await cache.get("a")
    await cache.set("c", 3, 60)
    expect(await cache.getMany(["a", "b", "c"])).toEqual([1, undefined, 3])
    expect(store.size).toBe(2)
  })

  it("evicts past maxBytes, counting key and value", async () => {
    const store = memoryStore({ maxBytes: 40 })
    const cache = new Cache({ store })
    await cache.set("a", "xxxxxx", 60) // key 1 + json 8 chars = 9 chars = 18 bytes
    await cache.set("b", "yyyyyy", 60)
    expect(store.bytes).toBe(36)
    await cache.set("c", "zzzzzz", 60)
    expect(await cache.getMany(["a", "b", "c"])).toEqual([undefined, "yyyyyy", "zzzzzz"])
    expect(store.bytes).toBe(36)
  })
})

describe.skipIf(!(await hasService("redis")))("redis store across processes", () => {
  const a = new Redis(SERVICES.redis.url)
  const b = new Redis(SERVICES.redis.url)
  afterAll(async () => {
    await a.quit()
    await b.quit()
  })

  it("two Cache instances on separate connections run fn once under SET NX PX", async () => {
    const prefix = `test:cache:${randomUUID()}:`
    const one = new Cache({ store: redisStore({ client: a, prefix }) })
    const two = new Cache({ store: redisStore({ client: b, prefix }) })
    let calls = 0
    const fn = async () => {
      calls++
      await new Promise((r) => setTimeout(r, 100))
      return "computed"
    }
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => one.remember("k", 60, fn)),
      ...Array.from({ length: 50 }, () => two.remember("k", 60, fn)),
    ])
    expect(calls).toBe(1)
    expect(new Set(results)).toEqual(new Set(["computed"]))
    expect(await a.exists(`${prefix}lock:k`)).toBe(0)
  })
})

describe("a Redis outage", () => {
  it("turns calls into misses with one warning, and the cache works again after restart", async () => {
    const port = await freePort()
    let server = await startRedis(port)
    const client = outageClient(port)
    const warnings: string[] = []
    const cache = new Cache({ store: redisStore({ client }), warn: (m) => warnings.push(m) })
    try {
      await ready(client)
      await cache.set("k", "v", 60)
      expect(await cache.get("k")).toBe("v")
      await stop(server)
      expect(await cache.get("k")).toBe(undefined)
      await cache.set("k2", "v2", 60)
      expect(await cache.has("k")).toBe(false)
      let calls = 0
      const r1 = await cache.remember("r", 60, () => ++calls)
      expect(r1).toBe(1)
      expect(await cache.remember("r", 60, () => ++calls)).toBe(2)
      expect(warnings).toEqual([
        "truss/cache: the cache store failed; cache calls are misses until it is back",
      ])
      server = await startRedis(port)
      await ready(client)
      await cache.set("k", "back", 60)
      expect(await cache.get("k")).toBe("back")
      expect(warnings.length).toBe(1)
    } finally {
      client.disconnect()
      await stop(server)
    }
  })
})

describe("a store call that hangs", () => {
  it("is a miss at once, not after timeoutMs, while ioredis is reconnecting", async () => {
    const port = await freePort()
    const server = await startRedis(port)
    // The default ioredis client: an offline queue that would hold commands until it reconnects.
    const client = new Redis({ port, retryStrategy: () => 50 })
    client.on("error", () => {})
    const warnings: string[] = []
    const errors: string[] = []
    const cache = new Cache({
      store: redisStore({ client }),
      timeoutMs: 500,
      warn: (m, e) => {
        warnings.push(m)
        errors.push((e as Error).message)
      },
    })
    try {
      await ready(client)
      await cache.set("k", "v", 60)
      await stop(server)
      await noticedDown(client)
      const started = Date.now()
      expect(await cache.get("k")).toBe(undefined)
      expect(Date.now() - started).toBeLessThan(500)
      expect(warnings).toEqual([
        "truss/cache: the cache store failed; cache calls are misses until it is back",
      ])
      expect(errors).toEqual(["Redis is unreachable (reconnecting)"])
    } finally {
      client.disconnect()
      await stop(server)
    }
  })

  it("is a miss after timeoutMs when the server accepts but never answers", async () => {
    const held = new Set<Socket>()
    const silent = createServer((s) => held.add(s))
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r))
    const { port } = silent.address() as { port: number }
    const client = new Redis({ port, host: "127.0.0.1" })
    client.on("error", () => {})
    const errors: string[] = []
    const cache = new Cache({
      store: redisStore({ client }),
      timeoutMs: 200,
      warn: (_m, e) => errors.push((e as Error).message),
    })
    try {
      const started = Date.now()
      expect(await cache.get("k")).toBe(undefined)
      expect(Date.now() - started).toBeGreaterThanOrEqual(195)
      expect(errors).toEqual(["cache store call took over 200 ms"])
    } finally {
      client.disconnect()
      for (const s of held) s.destroy()
      silent.close()
    }
  })
})
