/**
 * CPU per request in-process (`app.request`, no sockets): a plain JSON route, the same
 * route behind a do-nothing middleware, and a memory-store `cachePage` hit, in
 * interleaved rounds; prints the median µs of CPU per request of each.
 *
 * `npx tsx bench/cache/in-process.ts [requests per round = 20000] [rounds = 7]`
 * @module
 */

import { Cache, cachePage, memoryStore } from "../../src/cache/index.js"
import { App, Blueprint, type Middleware } from "../../src/index.js"

const perRound = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 7)
const body = () => ({ message: "Hello, World!" })
const app = new App()
app.get("/json", body)
const variants: Record<string, Middleware> = {
  nop: async function nop(_c, next) {
    await next()
  },
  page: cachePage({ cache: new Cache({ store: memoryStore() }), ttl: 3600 }),
}
for (const [name, middleware] of Object.entries(variants)) {
  const bp = new Blueprint({ prefix: `/${name}` })
  bp.use(middleware)
  bp.get("/json", body)
  app.register(bp)
}
const paths = {
  "plain JSON route": "/json",
  "no-op middleware": "/nop/json",
  "cachePage hit (memory)": "/page/json",
}
const expected = JSON.stringify(body())
for (const path of Object.values(paths)) {
  const text = await (await app.request(path)).text()
  if (text !== expected) throw new Error(`${path} answered ${text}`)
}
const samples = new Map<string, number[]>(Object.keys(paths).map((k) => [k, []]))
for (let r = 0; r < rounds; r++) {
  for (const [name, path] of Object.entries(paths)) {
    const url = `http://localhost${path}`
    const start = process.cpuUsage()
    for (let i = 0; i < perRound; i++) await (await app.request(url)).text()
    const used = process.cpuUsage(start)
    samples.get(name)!.push((used.user + used.system) / perRound)
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
for (const [name, xs] of samples)
  console.log(`${name}: ${median(xs).toFixed(2)} µs CPU per request`)
