/**
 * Runs one autocannon load in its own process (so `taskset` can pin it) and prints
 * a {@link LoadResult} as one JSON line. Argument: the JSON config from `load.ts`.
 * @module
 */
import autocannon from "autocannon"
import type { LoadRequest, LoadResult } from "./load.js"

interface Config {
  url: string
  connections: number
  duration: number
  requests: LoadRequest[]
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config
const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.duration,
  pipelining: 1,
  requests: config.requests.map((r) => ({
    method: r.method as "GET",
    path: r.path,
    headers: { ...(r.method === "GET" ? {} : { "content-length": "0" }), ...r.headers },
  })),
})
const out: LoadResult = {
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  p50ms: result.latency.p50,
  p99ms: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
}
console.log(JSON.stringify(out))
