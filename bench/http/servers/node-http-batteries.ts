/**
 * The floor for issue 5's bar: raw node:http doing by hand the least work that Truss
 * with its batteries does on the hello JSON route. It sends the same response headers
 * (`secureHeaders()`'s set for data responses, `x-request-id`) and writes the same JSON
 * log line, built with template strings and written to a file once 16 KiB are pending
 * or after 50 ms, as Truss's log file does (the cheapest way we measured). No session
 * or CSRF work: on this route neither sends anything. Only the `json` scenario.
 * Run: `npm run bench -- http --only node-http,node-http-batteries,truss-batteries --scenario json`.
 * @module
 */
import { openSync, writeSync } from "node:fs"
import { createServer } from "node:http"
import { hostname } from "node:os"
import { performance } from "node:perf_hooks"
import { MESSAGE, ready, requestId, serverArgs, truncateLog } from "./common.js"

const { scenario, port } = serverArgs()
if (scenario !== "json") throw new Error("node-http-batteries answers only the json scenario")

const fd = openSync(truncateLog("node-http-batteries"), "a")
let pending = ""
let scheduled = false
const flush = () => {
  scheduled = false
  if (pending !== "") writeSync(fd, pending)
  pending = ""
}

const bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`
// As Truss's request lines: the time comes from the end reading of the monotonic clock,
// re-anchored to Date.now() every second, and is formatted once per millisecond.
let anchor = Number.NEGATIVE_INFINITY
let wall = 0
let now = 0
let time = "0"

const server = createServer((req, res) => {
  const started = performance.now()
  const id = requestId(req.headers["x-request-id"])
  const body = JSON.stringify({ message: MESSAGE })
  res.writeHead(200, {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "content-type": "application/json",
    "x-request-id": id,
    "content-length": String(Buffer.byteLength(body)),
  })
  res.end(body)
  const ended = performance.now()
  const ms = `${Math.round((ended - started) * 100) / 100}`
  const path = req.url ?? "/"
  if (ended - anchor >= 1000) {
    anchor = ended
    wall = Date.now()
  }
  const t = Math.floor(wall + (ended - anchor))
  if (t !== now) {
    now = t
    time = `${t}`
  }
  pending += `{"level":30,"time":${time}${bindings},"reqId":"${id}","method":"${req.method}","path":${JSON.stringify(path)},"status":200,"ms":${ms},"msg":"${req.method} ${path} 200 ${ms}ms"}\n`
  if (pending.length >= 16_384) flush()
  else if (!scheduled) {
    scheduled = true
    setTimeout(flush, 50).unref()
  }
})
server.keepAliveTimeout = 72_000
server.listen(port, "127.0.0.1", () => ready("node-http-batteries", scenario, port))
