/**
 * The HTTP benchmark: Truss against raw node:http, Fastify, Hono and Express in one
 * run. Each server is pinned to core 0, the load generator to core 1; every server's
 * answers are checked first, then each is warmed up, then measured in interleaved
 * rounds (every server back to back, the order rotating); the tables show medians,
 * and ratios are medians of per-round ratios.
 *
 * `npm run bench -- http [--duration 3] [--rounds 7] [--warmup 3] [--connections 100]
 *  [--scenario json,plaintext,routes,middleware] [--only truss,fastify] [--loader wrk|autocannon]
 *  [--min-share 0.9] [--attempts 1] [--truss-src] [--verify] [--baseline <git rev>]`
 *
 * `--baseline <rev>` adds a "Truss (baseline)" row: Truss built from that revision's
 * src/, measured in the same rounds, for before/after comparisons of hot-path changes.
 *
 * `--verify` only starts each server and checks its answers (status, exact body,
 * content type, headers), with no load.
 *
 * On a shared machine, `--attempts 2` or more waits for quiet cores before each run and
 * retries a run in which the server got less than `--min-share` of its core. Every run
 * also records requests per server CPU-second, which other processes skew less than req/s.
 * @module
 */
import { execFileSync } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { autocannonLoader, findWrk, type Loader } from "./load.js"
import { waitForQuiet } from "./quiet.js"
import { markdownTable, type Sample, type ScenarioResult, textTable, toRow } from "./report.js"
import { probes, verify } from "./scenarios.js"
import {
  FRAMEWORKS,
  type Framework,
  freePort,
  type ServerProcess,
  startServer,
} from "./server-process.js"
import { logFile, SCENARIOS, type Scenario } from "./servers/common.js"

const root = fileURLToPath(new URL("../..", import.meta.url))

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "3" },
      rounds: { type: "string", default: "7" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "100" },
      scenario: { type: "string", default: SCENARIOS.join(",") },
      // node-http-batteries (json only) runs when named.
      only: {
        type: "string",
        default: FRAMEWORKS.filter((f) => f !== "node-http-batteries").join(","),
      },
      loader: { type: "string" },
      "min-share": { type: "string", default: "0.9" },
      "truss-src": { type: "boolean", default: false },
      verify: { type: "boolean", default: false },
      baseline: { type: "string" },
      attempts: { type: "string", default: "1" },
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
    frameworks: FRAMEWORKS.filter((f) =>
      list(values.only, FRAMEWORKS, "framework").includes(f),
    ) as Framework[],
    loader: values.loader,
    minShare: Number(values["min-share"]),
    trussSrc: values["truss-src"],
    verifyOnly: values.verify,
    baseline: values.baseline,
    attempts: Number(values.attempts),
  }
}

type Options = ReturnType<typeof options>

function machine(node: string) {
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? "?"
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim()
  const versions = Object.fromEntries(
    ["fastify", "hono", "@hono/node-server", "express", "find-my-way", "pino"].map((name) => {
      const pkg = join(root, "node_modules", name, "package.json")
      return [name, (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version]
    }),
  )
  return { nproc: availableParallelism(), cpu, node: version, versions }
}

async function pickLoader(name: string | undefined): Promise<Loader> {
  if (name === "autocannon") return autocannonLoader
  const wrk = await findWrk()
  if (wrk) return wrk
  if (name === "wrk") throw new Error("wrk is not installed: apt-get install -y wrk")
  return autocannonLoader
}

/**
 * Compiles `src/` under `from` with the package's own tsc build into a per-run folder
 * under bench/results (removed afterwards; parallel runs never share one), so Truss
 * runs as published JS, like the other frameworks from node_modules. (Through tsx,
 * esbuild's keepNames adds a `__name()` call to every closure Truss creates.)
 */
function buildTruss(node: string, from: string, name: string): string {
  const out = join(root, `bench/results/${name}-${process.pid}`)
  const tsc = join(root, "node_modules/typescript/bin/tsc")
  const args = ["-p", "tsconfig.build.json", "--outDir", out, "--declaration", "false"]
  try {
    execFileSync(node, [tsc, ...args, "--sourceMap", "false"], { cwd: from, stdio: "pipe" })
  } catch (err) {
    // Type errors elsewhere in src/ still emit JavaScript; only a missing entry is fatal.
    const lines = String((err as { stdout?: Buffer }).stdout ?? "")
      .split("\n")
      .filter(Boolean)
    console.warn(`tsc reported ${lines.length} lines of type errors; using the emitted JS`)
  }
  const entry = join(out, "index.js")
  if (!existsSync(entry)) throw new Error(`building Truss produced no ${entry}`)
  return entry
}

/** Builds Truss as it was at git revision `rev`, for before/after comparisons. */
function buildBaseline(node: string, rev: string): string {
  const from = mkdtempSync(join(tmpdir(), "truss-baseline-"))
  const files = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"]
  const tar = execFileSync("git", ["archive", rev, ...files], { cwd: root, maxBuffer: 1 << 28 })
  execFileSync("tar", ["-x", "-C", from], { input: tar })
  symlinkSync(join(root, "node_modules"), join(from, "node_modules"))
  try {
    return buildTruss(node, from, "truss-baseline")
  } finally {
    rmSync(from, { recursive: true, force: true })
  }
}

interface Setup {
  loader: Loader
  pins: { server: string[]; load: string[] }
  node: string
  /** Compiled Truss entry, or undefined to run Truss from source through tsx. */
  trussEntry: string | undefined
  /** Compiled Truss of `--baseline <rev>`. */
  baselineEntry: string | undefined
}

async function runScenario(scenario: Scenario, o: Options, setup: Setup): Promise<ScenarioResult> {
  const { loader, pins, node } = setup
  const list = probes(scenario)
  const servers: ServerProcess[] = []
  try {
    for (const [i, framework] of o.frameworks.entries()) {
      const port = await freePort()
      const env: Record<string, string> =
        (framework === "truss" || framework === "truss-batteries") && setup.trussEntry
          ? { TRUSS_ENTRY: setup.trussEntry }
          : {}
      if (framework === "truss-baseline" && setup.baselineEntry) {
        Object.assign(env, { TRUSS_ENTRY: setup.baselineEntry, BENCH_NAME: framework })
      }
      servers.push(await startServer(framework, scenario, port, { pin: pins.server, node, env }))
      const problems = await verify(port, list).catch((e: Error) => [e.message])
      if (problems.length) throw new Error(`${framework} answers wrongly:\n${problems.join("\n")}`)
      process.stdout.write(`${i ? ", " : `${scenario}: verified `}${framework}`)
    }
    if (o.verifyOnly) {
      process.stdout.write("\n")
      return { scenario, rows: [] }
    }
    const load = async (s: ServerProcess, seconds: number): Promise<Sample> => {
      const cpu = s.cpuSeconds()
      const r = await loader.load({
        port: s.port,
        requests: list,
        connections: o.connections,
        seconds,
        pin: pins.load,
      })
      const cpuSeconds = s.cpuSeconds() - cpu
      const share = cpuSeconds / r.seconds
      const perCpu = r.requests / cpuSeconds
      return { ...r, cpuSeconds, share, perCpu, load: loadAverage(), attempt: 1, othersBusy: 0 }
    }
    // On a shared machine: start when the cores are quiet, and retry a run in which
    // the server got less than minShare of its core; keep the least disturbed one.
    const measure = async (s: ServerProcess): Promise<Sample> => {
      let best: Sample | undefined
      for (let attempt = 1; attempt <= o.attempts; attempt++) {
        const quiet = pins.server.length > 0 && o.attempts > 1
        const othersBusy = quiet ? await waitForQuiet([0, 1], 0.15, 5_000) : 0
        const sample = { ...(await load(s, o.seconds)), attempt, othersBusy }
        if (best === undefined || sample.share > best.share) best = sample
        if (sample.share >= o.minShare) break
      }
      return best!
    }
    process.stdout.write("; warming up")
    for (const s of servers) await load(s, o.warmup)
    const samples = new Map<Framework, Sample[]>(servers.map((s) => [s.framework, []]))
    for (let round = 0; round < o.rounds; round++) {
      process.stdout.write(`; round ${round + 1}`)
      // Rotate the order so no framework always runs right after the same neighbour.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
      for (const s of order) samples.get(s.framework)!.push(await measure(s))
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

/** The 1-minute load average: other work on the machine shows up here. */
function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0])
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
  const trussEntry =
    o.trussSrc || !o.frameworks.some((f) => f.startsWith("truss"))
      ? undefined
      : buildTruss(node, root, "truss-dist")
  const baselineEntry = o.baseline === undefined ? undefined : buildBaseline(node, o.baseline)
  if (baselineEntry) o.frameworks.splice(o.frameworks.indexOf("truss") + 1, 0, "truss-baseline")
  const started = new Date()
  console.log(
    `${info.cpu}, ${info.nproc} cores, Node ${info.node}; load: ${loader.name}, ` +
      `${o.connections} connections, ${o.rounds} × ${o.seconds} s after ${o.warmup} s warm-up; ` +
      `Truss from ${trussEntry ? "tsc output" : "source (tsx)"}`,
  )
  const results: ScenarioResult[] = []
  try {
    for (const scenario of o.scenarios) {
      const result = await runScenario(scenario, o, {
        loader,
        pins,
        node,
        trussEntry,
        baselineEntry,
      })
      if (o.verifyOnly) continue
      results.push(result)
      console.log(`\n${textTable(result)}`)
      if (scenario === "middleware") {
        console.log(result.rows.map((r) => `${r.framework} log lines: ${r.logLines}`).join(", "))
      }
      console.log()
    }
  } finally {
    for (const entry of [trussEntry, baselineEntry]) {
      if (entry) rmSync(dirname(entry), { recursive: true, force: true })
    }
  }
  if (o.verifyOnly) return
  console.log("Markdown:\n")
  console.log(results.map(markdownTable).join("\n\n"))
  const dir = join(root, "bench/results")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `http-${started.toISOString().replace(/[:.]/g, "-")}.json`)
  const command = `npm run bench -- http ${args.join(" ")}`.trim()
  const options_ = { ...o, loader: loader.name, pinned, truss: trussEntry ? "tsc output" : "tsx" }
  writeFileSync(
    file,
    JSON.stringify({ date: started, machine: info, command, options: options_, results }, null, 2),
  )
  console.log(`\nraw results: ${file}`)
}
