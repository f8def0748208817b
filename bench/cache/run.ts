/**
 * The cache benchmark: a `cachePage()` hit on a memory store and on a Redis store
 * against a plain JSON route, all three on one Truss server in the same run. The
 * server is pinned to core 0, the load generator (and an own redis-server) to core 1;
 * the answers are checked first, then every path is warmed up, then measured in
 * interleaved rounds (the order rotating). Ratios are medians of per-round ratios to
 * the plain JSON route; the target is ≥ 0.9×.
 *
 * `npm run bench -- cache [--duration 3] [--rounds 5] [--warmup 2] [--connections 100]
 *  [--loader wrk|autocannon] [--truss-src] [--quiet 5]`
 *
 * `--quiet <s>` waits up to that long before each timed run for other processes to
 * leave the two cores (a shared machine); the table's "core share" column says how much
 * of its core the server got.
 * @module
 */
import { type ChildProcess, execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { autocannonLoader, findWrk, type Loader, type LoadResult } from "../http/load.js"
import { waitForQuiet } from "../http/quiet.js"
import { median } from "../http/report.js"
import { freePort } from "../http/server-process.js"
import { buildTruss, cpuSeconds, nodeBinary, root, start, stop } from "../support/processes.js"

const PATHS = { json: "/json", memory: "/memory/json", redis: "/redis/json" } as const
type PathName = keyof typeof PATHS
const BODY = '{"message":"Hello, World!"}'

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "3" },
      rounds: { type: "string", default: "5" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "100" },
      loader: { type: "string" },
      "truss-src": { type: "boolean", default: false },
      quiet: { type: "string", default: "5" },
    },
  })
  return {
    seconds: Number(values.duration),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    loader: values.loader,
    trussSrc: values["truss-src"],
    /** Seconds to wait, before each timed run, for other work to leave the cores. */
    quiet: Number(values.quiet),
  }
}

async function check(port: number, path: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`)
    const body = await res.text()
    const type = res.headers.get("content-type")
    if (res.status !== 200 || body !== BODY || type !== "application/json") {
      throw new Error(`${path} answered ${res.status} ${type} ${body}`)
    }
  }
}

interface Sample extends LoadResult {
  perCpu: number
  /** Share of its core the server got during the run. */
  share: number
}

async function pickLoader(name: string | undefined): Promise<Loader> {
  if (name === "autocannon") return autocannonLoader
  const wrk = await findWrk()
  if (wrk) return wrk
  if (name === "wrk") throw new Error("wrk is not installed: apt-get install -y wrk")
  return autocannonLoader
}

/** Runs the cache benchmark with CLI arguments. */
export async function run(args: string[]): Promise<void> {
  const o = options(args)
  const node = nodeBinary()
  const cores = availableParallelism()
  const pinned = cores >= 2 && existsSync("/usr/bin/taskset")
  const pin = (core: number) => (pinned ? ["taskset", "-c", String(core)] : [])
  if (pinned) execFileSync("taskset", ["-pc", "1", String(process.pid)], { stdio: "ignore" })
  const loader = await pickLoader(o.loader)
  const entry = o.trussSrc ? undefined : buildTruss(node, "cache-truss", "cache/index.js")
  const redisPort = await freePort()
  const port = await freePort()
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? "?"
  const nodeVersion = execFileSync(node, ["--version"], { encoding: "utf8" }).trim()
  const started = new Date()
  console.log(
    `${cpu}, ${cores} cores, Node ${nodeVersion}; load: ${loader.name}, ` +
      `${o.connections} connections, ${o.rounds} × ${o.seconds} s after ${o.warmup} s warm-up; ` +
      `Truss from ${entry ? "tsc output" : "source (tsx)"}; load average ${loadAverage()}`,
  )
  const children: ChildProcess[] = []
  try {
    const redisCmd = [...pin(1), "redis-server", "--port", String(redisPort), "--save", ""]
    children.push(await start([...redisCmd, "--appendonly", "no"], "Ready to accept"))
    const file = fileURLToPath(new URL("./server.ts", import.meta.url))
    const serverCmd = [...pin(0), node, "--import", "tsx", file, String(port), String(redisPort)]
    const server = await start(
      serverCmd,
      `listening on ${port}`,
      entry ? { TRUSS_ENTRY: entry } : {},
    )
    children.push(server)
    for (const path of Object.values(PATHS)) await check(port, path)
    const load = async (path: string, seconds: number): Promise<Sample> => {
      if (pinned && o.quiet > 0) await waitForQuiet([0, 1], 0.15, o.quiet * 1000)
      const before = cpuSeconds(server.pid!)
      const r = await loader.load({
        port,
        requests: [{ method: "GET", path }],
        connections: o.connections,
        seconds,
        pin: pin(1),
      })
      const used = cpuSeconds(server.pid!) - before
      return { ...r, perCpu: r.requests / used, share: used / r.seconds }
    }
    const names = Object.keys(PATHS) as PathName[]
    process.stdout.write("verified; warming up")
    for (const name of names) await load(PATHS[name], o.warmup)
    const samples = new Map<PathName, Sample[]>(names.map((n) => [n, []]))
    for (let round = 0; round < o.rounds; round++) {
      process.stdout.write(`; round ${round + 1}`)
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round) % names.length]!
        samples.get(name)!.push(await load(PATHS[name], o.seconds))
      }
    }
    process.stdout.write("\n")
    const runs = await (await fetch(`http://127.0.0.1:${port}/runs`)).json()
    if (JSON.stringify(runs) !== '{"memory":1,"redis":1}') {
      throw new Error(`cached handlers ran ${JSON.stringify(runs)}: not every request was a hit`)
    }
    const table = report(samples, o.rounds)
    console.log(`\n${table}\n\ncached handlers ran once each: every measured request was a hit`)
    const dir = join(root, "bench/results")
    mkdirSync(dir, { recursive: true })
    const out = join(dir, `cache-${started.toISOString().replace(/[:.]/g, "-")}.json`)
    const command = `npm run bench -- cache ${args.join(" ")}`.trim()
    writeFileSync(
      out,
      JSON.stringify({ date: started, cpu, node: nodeVersion, command, o, samples: [...samples] }),
    )
    console.log(`raw results: ${out}`)
  } finally {
    for (const c of children.reverse()) await stop(c)
    if (entry) rmSync(dirname(entry), { recursive: true, force: true })
  }
}

function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")
}

const LABELS: Record<PathName, string> = {
  json: "plain JSON route",
  memory: "cachePage hit, memory store",
  redis: "cachePage hit, Redis store",
}

/** A Markdown table: medians, and per-round ratios to the plain JSON route. */
function report(samples: Map<PathName, Sample[]>, rounds: number): string {
  const json = samples.get("json")!
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
  const lines = [
    "| path | req/s | p99 ms | × plain JSON | req/CPU-s | × plain JSON | core share | errors |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
  ]
  for (const [name, list] of samples) {
    const ratio = (key: "rps" | "perCpu") =>
      median(Array.from({ length: rounds }, (_, i) => list[i]![key] / json[i]![key])).toFixed(2)
    lines.push(
      `| ${LABELS[name]} | ${fmt(median(list.map((s) => s.rps)))} | ${median(list.map((s) => s.p99ms)).toFixed(2)} | ${ratio("rps")}× | ${fmt(median(list.map((s) => s.perCpu)))} | ${ratio("perCpu")}× | ${Math.round(median(list.map((s) => s.share)) * 100)}% | ${list.reduce((a, s) => a + s.errors, 0)} |`,
    )
  }
  return lines.join("\n")
}
