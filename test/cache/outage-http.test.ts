import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cache, cachePage, redisStore } from "../../src/cache/index.js"
import { App, Blueprint, type TrussServer } from "../../src/index.js"
import { freePort, noticedDown, outageClient, ready, startRedis, stop } from "./redis-server.js"

const WARNING = "truss/cache: the cache store failed; cache calls are misses until it is back"

describe("a Redis outage behind a running app", () => {
  const lines: { level: number; msg: string; err?: { message: string } }[] = []
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) }
  const app = new App({ logger: { level: "warn", requests: false, pretty: false, destination } })
  let port = 0
  let redisServer: Awaited<ReturnType<typeof startRedis>>
  let client: ReturnType<typeof outageClient>
  let server: TrussServer
  let pageRuns = 0
  let statsRuns = 0

  beforeAll(async () => {
    port = await freePort()
    redisServer = await startRedis(port)
    client = outageClient(port)
    await ready(client)
    const cache = new Cache({
      store: redisStore({ client, prefix: "outage:" }),
      warn: (message, err) => app.log.warn({ err }, message),
    })
    const pages = new Blueprint({ prefix: "/pages" })
    pages.use(cachePage({ cache, ttl: 60 }))
    pages.get("/news", () => `news ${++pageRuns}`)
    app.register(pages)
    app.get("/stats", async () => ({
      total: await cache.remember("stats", 60, async () => ++statsRuns),
    }))
    server = await app.listen({ port: 0, signals: false })
  })
  afterAll(async () => {
    await server?.close()
    client?.disconnect()
    if (redisServer) await stop(redisServer)
  })

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`)
    return [res.status, await res.text()] as const
  }

  it("serves 200 misses while Redis is down, warns once, and caches again after a restart", async () => {
    expect(await get("/pages/news")).toEqual([200, "news 1"])
    expect(await get("/pages/news")).toEqual([200, "news 1"])
    expect(await get("/stats")).toEqual([200, '{"total":1}'])
    expect(await get("/stats")).toEqual([200, '{"total":1}'])
    expect(lines).toEqual([])

    await stop(redisServer)
    // (So the first error is the store's fail-fast one, not a write into a dying socket.)
    await noticedDown(client)
    // Every request is a miss: the handler runs each time, and nothing is a 500.
    expect(await get("/pages/news")).toEqual([200, "news 2"])
    expect(await get("/pages/news")).toEqual([200, "news 3"])
    expect(await get("/stats")).toEqual([200, '{"total":2}'])
    expect(await get("/stats")).toEqual([200, '{"total":3}'])
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, WARNING]])
    expect(lines[0]?.err?.message).toBe("Redis is unreachable (reconnecting)")

    redisServer = await startRedis(port)
    await ready(client)
    // The new server is empty: one miss fills the cache, then hits again.
    expect(await get("/pages/news")).toEqual([200, "news 4"])
    expect(await get("/pages/news")).toEqual([200, "news 4"])
    expect(await get("/stats")).toEqual([200, '{"total":4}'])
    expect(await get("/stats")).toEqual([200, '{"total":4}'])
    expect(pageRuns).toBe(4)
    expect(statsRuns).toBe(4)
    expect(lines.length).toBe(1)
  })
})
