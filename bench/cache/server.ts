/**
 * The cache benchmark's server: one Truss app with a plain JSON route and the same
 * route behind `cachePage()` on a memory store and on a Redis store, so every path is
 * measured on the same process. `GET /runs` reports how often each cached handler ran
 * (once each when every measured request was a hit).
 *
 * `node --import tsx bench/cache/server.ts <port> <redis port>`; with `TRUSS_ENTRY`
 * (the runner sets it) Truss comes from that compiled `index.js`, as published.
 * @module
 */
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import { Redis } from "ioredis"

const MESSAGE = "Hello, World!"
const entry = process.env.TRUSS_ENTRY
const core = (entry ? await import(entry) : await import("truss")) as typeof import("truss")
const cacheModule = (
  entry
    ? await import(pathToFileURL(join(dirname(entry), "cache/index.js")).href)
    : await import("truss/cache")
) as typeof import("truss/cache")
const { App, Blueprint } = core
const { Cache, cachePage, memoryStore, redisStore } = cacheModule

const port = Number(process.argv[2])
const redisPort = Number(process.argv[3])
// Auto-pipelining batches the commands of concurrent requests into one write (docs/cache.md).
const redis = new Redis({ port: redisPort, enableOfflineQueue: false, enableAutoPipelining: true })
await new Promise<void>((resolve, reject) => {
  redis.once("ready", resolve)
  redis.once("error", reject)
})

const runs = { memory: 0, redis: 0 }
const app = new App()
app.get("/json", () => ({ message: MESSAGE }))
app.get("/runs", () => runs)
const stores = {
  memory: memoryStore(),
  redis: redisStore({ client: redis, prefix: "bench:cache:" }),
} as const
for (const name of ["memory", "redis"] as const) {
  const bp = new Blueprint({ prefix: `/${name}` })
  bp.use(cachePage({ cache: new Cache({ store: stores[name] }), ttl: 3600 }))
  bp.get("/json", () => {
    runs[name]++
    return { message: MESSAGE }
  })
  app.register(bp)
}
await app.listen({ port, host: "127.0.0.1", signals: false })
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    redis.disconnect()
    process.exit(0)
  })
}
process.stdout.write(`cache bench listening on ${port}\n`)
