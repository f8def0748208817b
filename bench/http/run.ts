/**
 * The HTTP benchmark: Truss against raw node:http, Fastify, Hono and Express in one
 * run. Each server is pinned to core 0, the load generator to core 1; every server's
 * answers are checked first, then each is warmed up, then measured in interleaved
 * rounds; the tables show medians.
 *
 * `npm run bench -- http [--duration 5] [--rounds 3] [--warmup 3] [--connections 100]
 *  [--scenario json,plaintext,routes,middleware] [--only truss,fastify] [--loader wrk|autocannon]`
 * @module
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { autocannonLoader, findWrk, type Loader, type LoadResult } from "./load.js"
import { markdownTable, type ScenarioResult, textTable, toRow } from "./report.js"
import { probes, verify } from "./scenarios.js"
import { FRAMEWORKS, type Framework, type ServerProcess, startServer } from "./server-process.js"
import { logFile, SCENARIOS, type Scenario } from "./servers/common.js"

const root = fileURLToPath(new URL("../..", import.meta.url))

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "100" },
      scenario: { type: "string", default: SCENARIOS.join(",") },
      only: { type: "string", default: FRAMEWORKS.join(",") },
      loader: { type: "string" },
    },
  })
  const list = <T extends string>(value: string, known: readonly T[], what: string): T[] =>
    value.split(",").map((v) => {
      const name = (v.trim() === "node" ? "node-http" : v.trim()) as T
      if (!known.includes(name)) throw new Error(`unknown ${what} "${v}": use ${known.join(", ")}`)
      return name
    })
  return {
    seconds: Number(values.duration),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    scenarios: list(values.scenario, SCENARIOS, "scenario"),
    frameworks: FRAMEWORKS.filter((f) => list(values.only, FRAMEWORKS, "framework").includes(f)),
    loader: values.loader,
  }
}

type Options = ReturnType<typeof options>

function machine(node: string) {
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? "?"
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim()
  return { nproc: availableParallelism(), cpu, node: version }
}

async function pickLoader(name: string | undefined): Promise<Loader> {
  if (name === "autocannon") return autocannonLoader
  const wrk = await findWrk()
  if (wrk) return wrk
  if (name === "wrk") throw new Error("wrk is not installed: apt-get install -y wrk")
  return autocannonLoader
}

async function runScenario(
  scenario: Scenario,
  o: Options,
  loader: Loader,
  pins: { server: string[]; load: string[] },
  node: string,
): Promise<ScenarioResult> {
  const list = probes(scenario)
  const servers: ServerProcess[] = []
  try {
    for (const [i, framework] of o.frameworks.entries()) {
      const port = 40100 + FRAMEWORKS.indexOf(framework)
      servers.push(await startServer(framework, scenario, port, { pin: pins.server, node }))
      const problems = await verify(port, list).catch((e: Error) => [e.message])
      if (problems.length) throw new Error(`${framework} answers wrongly:\n${problems.join("\n")}`)
      process.stdout.write(`${i ? ", " : `${scenario}: verified `}${framework}`)
    }
    const load = (port: number, seconds: number) =>
      loader.load({ port, requests: list, connections: o.connections, seconds, pin: pins.load })
    process.stdout.write("; warming up")
    for (const s of servers) await load(s.port, o.warmup)
    const samples = new Map<Framework, LoadResult[]>(servers.map((s) => [s.framework, []]))
    for (let round = 0; round < o.rounds; round++) {
      process.stdout.write(`; round ${round + 1}`)
      // Rotate the order so no framework always runs right after the same neighbour.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
      for (const s of order) samples.get(s.framework)!.push(await load(s.port, o.seconds))
    }
    process.stdout.write("\n")
    for (const s of servers.splice(0)) await s.stop()
    const rows = o.frameworks.map((f) => toRow(f, samples.get(f)!))
    if (scenario === "middleware") {
      for (const row of rows) row.logLines = countLines(logFile(row.framework))
    }
    return { scenario, rows }
  } finally {
    for (const s of servers) await s.stop()
  }
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0
  const text = readFileSync(path, "utf8")
  let n = 0
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++
  return n
}

/** Runs the HTTP benchmark with CLI arguments. */
export async function run(args: string[]): Promise<void> {
  const o = options(args)
  const node = existsSync(join(root, "node_modules/.bin/node"))
    ? join(root, "node_modules/.bin/node")
    : process.execPath
  const info = machine(node)
  const pinned = info.nproc >= 2 && existsSync("/usr/bin/taskset")
  const pins = pinned
    ? { server: ["taskset", "-c", "0"], load: ["taskset", "-c", "1"] }
    : { server: [], load: [] }
  if (pinned) execFileSync("taskset", ["-pc", "1", String(process.pid)], { stdio: "ignore" })
  else console.warn("warning: fewer than 2 cores or no taskset; running unpinned")
  const loader = await pickLoader(o.loader)
  const started = new Date()
  console.log(
    `${info.cpu}, ${info.nproc} cores, Node ${info.node}; load: ${loader.name}, ` +
      `${o.connections} connections, ${o.rounds} × ${o.seconds} s after ${o.warmup} s warm-up`,
  )
  const results: ScenarioResult[] = []
  for (const scenario of o.scenarios) {
    const result = await runScenario(scenario, o, loader, pins, node)
    results.push(result)
    console.log(`\n${textTable(result)}`)
    if (scenario === "middleware") {
      console.log(result.rows.map((r) => `${r.framework} log lines: ${r.logLines}`).join(", "))
    }
    console.log()
  }
  console.log("Markdown:\n")
  console.log(results.map(markdownTable).join("\n\n"))
  const dir = join(root, "bench/results")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `http-${started.toISOString().replace(/[:.]/g, "-")}.json`)
  const command = `npm run bench -- http ${args.join(" ")}`.trim()
  const options_ = { ...o, loader: loader.name, pinned }
  writeFileSync(
    file,
    JSON.stringify({ date: started, machine: info, command, options: options_, results }, null, 2),
  )
  console.log(`\nraw results: ${file}`)
}
