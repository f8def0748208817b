/**
 * One autocannon run in its own process (so `taskset` can pin it to the load core);
 * prints one JSON line. Argument: `{ url, connections, duration, headers }`.
 * @module
 */
import autocannon from "autocannon"

const config = JSON.parse(process.argv[2] ?? "{}") as {
  url: string
  connections: number
  duration: number
  headers: Record<string, string>
}
const result = await autocannon({ ...config, pipelining: 1 })
console.log(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }),
)
