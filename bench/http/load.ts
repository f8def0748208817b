/**
 * Load generators: wrk (when installed) or autocannon, both pinned to their own core,
 * both reporting the same {@link LoadResult}.
 * @module
 */
import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const run = promisify(execFile)

/** One request of a load mix. */
export interface LoadRequest {
  method: string
  path: string
  /** Extra request headers (e.g. a session cookie). */
  headers?: Readonly<Record<string, string>>
}

/** What one timed run produced. */
export interface LoadResult {
  requests: number
  seconds: number
  rps: number
  p50ms: number
  p99ms: number
  /** Connection errors, timeouts and non-2xx responses. */
  errors: number
}

/** How to drive one run. */
export interface LoadOptions {
  port: number
  requests: readonly LoadRequest[]
  connections: number
  seconds: number
  /** Prefix for the command, e.g. `["taskset", "-c", "1"]`. */
  pin: readonly string[]
}

/** A load generator. */
export interface Loader {
  readonly name: string
  load(options: LoadOptions): Promise<LoadResult>
}

/** wrk from the `wrk` Debian package, when it is on PATH. */
export async function findWrk(): Promise<Loader | undefined> {
  // `wrk --version` exits 1 after printing; the output is what matters.
  const out = await run("wrk", ["--version"]).catch((e: { stdout?: string; stderr?: string }) => e)
  const version = `${out.stdout ?? ""}${out.stderr ?? ""}`.match(/wrk (\S+)/)?.[1]
  return version === undefined ? undefined : { name: `wrk ${version}`, load: loadWithWrk }
}

const dir = mkdtempSync(join(tmpdir(), "truss-bench-"))

function luaString(s: string): string {
  return JSON.stringify(s)
}

/** A wrk script: rotates through the mix and prints one JSON line when done. */
function wrkScript(requests: readonly LoadRequest[]): string {
  const headers = (r: LoadRequest) => {
    const all = { ...(r.method === "GET" ? {} : { "Content-Length": "0" }), ...r.headers }
    const pairs = Object.entries(all).map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`)
    return `{${pairs.join(", ")}}`
  }
  const only = requests.length === 1 ? requests[0] : undefined
  // One request: wrk's own pre-built request, no Lua per request. Several: built in
  // init(), because wrk sets the Host header only after the script has loaded.
  const setup = only
    ? `wrk.method = ${luaString(only.method)}\nwrk.path = ${luaString(only.path)}\nwrk.headers = ${headers(only)}\n`
    : `local reqs = {}
local i = 0
init = function(args)
  reqs = { ${requests.map((r) => `wrk.format(${luaString(r.method)}, ${luaString(r.path)}, ${headers(r)})`).join(", ")} }
end
request = function() i = i % #reqs + 1; return reqs[i] end
`
  return `${setup}done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`
}

async function loadWithWrk(o: LoadOptions): Promise<LoadResult> {
  const script = join(dir, `mix-${o.requests.length}-${o.requests[0]?.path.length ?? 0}.lua`)
  writeFileSync(script, wrkScript(o.requests))
  const args = ["-t1", `-c${o.connections}`, `-d${o.seconds}s`, "--timeout", "10s", "-s", script]
  const [cmd, ...pre] = [...o.pin, "wrk"]
  const { stdout } = await run(cmd!, [...pre, ...args, `http://127.0.0.1:${o.port}`])
  const line = stdout.split("\n").find((l) => l.startsWith("WRK_RESULT "))
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`)
  const r = JSON.parse(line.slice("WRK_RESULT ".length)) as Record<string, number>
  const seconds = r.us! / 1e6
  return {
    requests: r.requests!,
    seconds,
    rps: r.requests! / seconds,
    p50ms: r.p50! / 1000,
    p99ms: r.p99! / 1000,
    errors: r.errors!,
  }
}

/** autocannon, run as its own process so it can be pinned to the load core. */
export const autocannonLoader: Loader = {
  name: "autocannon",
  async load(o) {
    const worker = fileURLToPath(new URL("./autocannon-worker.ts", import.meta.url))
    const config = JSON.stringify({
      url: `http://127.0.0.1:${o.port}`,
      connections: o.connections,
      duration: o.seconds,
      requests: o.requests,
    })
    const [cmd, ...pre] = [...o.pin, process.execPath]
    const { stdout } = await run(cmd!, [...pre, "--import", "tsx", worker, config], {
      maxBuffer: 1 << 24,
    })
    return JSON.parse(stdout.trim().split("\n").pop()!) as LoadResult
  },
}
