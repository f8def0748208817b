/**
 * The TechEmpower test types (json, plaintext, db, queries, fortunes, updates) in
 * Truss (ORM + templates), Truss raw, Fastify, Express, Django and Flask against one
 * PostgreSQL. Every implementation is verified against the TFB rules first (one that
 * fails is reported, not timed); then each server is pinned to core 0 and wrk to
 * core 1, warmed up, and measured in interleaved rounds; tables show medians.
 *
 * `npm run bench -- tfb [--duration 5] [--rounds 3] [--warmup 2] [--connections 64]
 *  [--tests json,plaintext,db,queries,fortunes,updates] [--only truss,fastify,...]
 *  [--queries 20] [--py-workers 1] [--profile truss] [--quiet-wait 4] [--truss-src] [--verify]`
 *
 * Before each timed run it waits (up to `--quiet-wait` seconds) until other processes
 * use less than 15% of either benchmark core.
 *
 * Run `bash bench/tfb/setup.sh` once first (Debian packages, database seed).
 * @module
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, cpus } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { autocannonLoader, findWrk, type Loader } from "../http/load.js"
import { waitForQuiet } from "../http/quiet.js"
import { median } from "../http/report.js"
import { freePort } from "../http/server-process.js"
import { type PgCpu, pgCpu } from "./pg-cpu.js"
import { markdown, type TestResult, textTable } from "./report.js"
import {
  IMPLEMENTATIONS,
  type Implementation,
  type ServerProcess,
  startServer,
} from "./server-process.js"
import { selfCheck, verifyServer } from "./verify.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
/** The six test types, in TFB's order. */
export const TESTS = ["json", "plaintext", "db", "queries", "fortunes", "updates"] as const
type Test = (typeof TESTS)[number]

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "64" },
      tests: { type: "string", default: TESTS.join(",") },
      only: { type: "string", default: IMPLEMENTATIONS.join(",") },
      queries: { type: "string", default: "20" },
      "py-workers": { type: "string", default: "1" },
      profile: { type: "string", default: "" },
      loader: { type: "string" },
      "truss-src": { type: "boolean", default: false },
      verify: { type: "boolean", default: false },
      "quiet-wait": { type: "string", default: "4" },
    },
  })
  const list = <T extends string>(value: string, known: readonly T[], what: string): T[] =>
    value
      .split(",")
      .filter(Boolean)
      .map((v) => {
        if (!known.includes(v.trim() as T))
          throw new Error(`unknown ${what} "${v}": use ${known.join(", ")}`)
        return v.trim() as T
      })
  const only = list(values.only, IMPLEMENTATIONS, "implementation")
  const tests = list(values.tests, TESTS, "test")
  return {
    seconds: Number(values.duration),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    tests: TESTS.filter((t) => tests.includes(t)),
    impls: IMPLEMENTATIONS.filter((i) => only.includes(i)),
    queries: Number(values.queries),
    pyWorkers: Number(values["py-workers"]),
    profile: list(values.profile, IMPLEMENTATIONS, "implementation"),
    loader: values.loader,
    trussSrc: values["truss-src"],
    verifyOnly: values.verify,
    quietWait: Number(values["quiet-wait"]),
  }
}
type Options = ReturnType<typeof options>

function path(test: Test, o: Options): string {
  return test === "queries" || test === "updates" ? `/${test}?queries=${o.queries}` : `/${test}`
}

/** Compiles src/ with tsc into a per-run folder, so Truss runs as published JS. */
function buildTruss(node: string): string {
  const out = join(root, `bench/results/truss-dist-tfb-${process.pid}`)
  const tsc = join(root, "node_modules/typescript/bin/tsc")
  const args = [
    "-p",
    "tsconfig.build.json",
    "--outDir",
    out,
    "--declaration",
    "false",
    "--sourceMap",
    "false",
  ]
  try {
    execFileSync(node, [tsc, ...args], { cwd: root, stdio: "pipe" })
  } catch {
    console.warn("tsc reported type errors; using the emitted JS")
  }
  const entry = join(out, "index.js")
  if (!existsSync(entry)) throw new Error(`building Truss produced no ${entry}`)
  return entry
}

function versions(node: string) {
  const pkg = (name: string) =>
    (
      JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as {
        version: string
      }
    ).version
  const py = (mod: string) =>
    execFileSync("/usr/bin/python3", ["-c", `import ${mod}; print(${mod}.__version__)`], {
      encoding: "utf8",
    }).trim()
  const pgVersion = execFileSync(
    "psql",
    ["-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version", "postgres"],
    {
      encoding: "utf8",
    },
  ).trim()
  return {
    cpu: readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ?? "?",
    nproc: cpus().length,
    node: execFileSync(node, ["--version"], { encoding: "utf8" }).trim(),
    postgres: pgVersion,
    fastify: pkg("fastify"),
    express: pkg("express"),
    pg: pkg("pg"),
    liquidjs: pkg("liquidjs"),
    kysely: pkg("kysely"),
    python: execFileSync("/usr/bin/python3", ["--version"], { encoding: "utf8" }).trim(),
    django: py("django"),
    flask: execFileSync(
      "/usr/bin/python3",
      ["-c", "import importlib.metadata as m; print(m.version('flask'))"],
      {
        encoding: "utf8",
      },
    ).trim(),
    gunicorn: py("gunicorn"),
    psycopg2: py("psycopg2").split(" ")[0],
  }
}

async function measureTest(
  test: Test,
  servers: ServerProcess[],
  o: Options,
  loader: Loader,
  pin: string[],
  db: PgCpu,
) {
  const requests = [{ method: "GET", path: path(test, o) }]
  const load = async (s: ServerProcess, seconds: number) => {
    const pgBefore = await db.snapshot()
    const cpu = s.cpuSeconds()
    const r = await loader.load({
      port: s.port,
      requests,
      connections: o.connections,
      seconds,
      pin,
    })
    const cpuShare = (s.cpuSeconds() - cpu) / r.seconds
    return { ...r, cpuShare, pgShare: db.between(pgBefore, await db.snapshot()) / r.seconds }
  }
  process.stdout.write(`${test}: warming up`)
  for (const s of servers) await load(s, o.warmup)
  const samples = new Map(servers.map((s) => [s.name, [] as Awaited<ReturnType<typeof load>>[]]))
  for (let round = 0; round < o.rounds; round++) {
    process.stdout.write(`; round ${round + 1}`)
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
    for (const s of order) {
      // On a shared machine: start when other processes leave both cores alone.
      if (pin.length) await waitForQuiet([0, 1], 0.15, o.quietWait * 1000)
      samples.get(s.name)!.push(await load(s, o.seconds))
    }
  }
  process.stdout.write("\n")
  return {
    test,
    path: path(test, o),
    rows: servers.map((s) => {
      const list = samples.get(s.name)!
      return {
        name: s.name,
        rps: median(list.map((x) => x.rps)),
        p99ms: median(list.map((x) => x.p99ms)),
        cpuShare: median(list.map((x) => x.cpuShare)),
        pgShare: median(list.map((x) => x.pgShare)),
        errors: list.reduce((n, x) => n + x.errors, 0),
        samples: list.map((x) => Math.round(x.rps)),
      }
    }),
  } satisfies TestResult
}

/** Runs the TFB benchmark with CLI arguments. */
export async function run(args: string[]): Promise<void> {
  const o = options(args)
  selfCheck()
  const node = existsSync(join(root, "node_modules/.bin/node"))
    ? join(root, "node_modules/.bin/node")
    : process.execPath
  const pinned = availableParallelism() >= 2 && existsSync("/usr/bin/taskset")
  const pins = pinned
    ? { server: ["taskset", "-c", "0"], load: ["taskset", "-c", "1"] }
    : { server: [], load: [] }
  if (pinned) execFileSync("taskset", ["-pc", "1", String(process.pid)], { stdio: "ignore" })
  const loader: Loader =
    o.loader === "autocannon" ? autocannonLoader : ((await findWrk()) ?? autocannonLoader)
  const uses = o.impls.some((i) => i.startsWith("truss"))
  const trussEntry = o.trussSrc || !uses ? undefined : buildTruss(node)
  const info = versions(node)
  const started = new Date()
  console.log(
    `${info.cpu}, ${info.nproc} cores, Node ${info.node}, PostgreSQL ${info.postgres}, ${info.python}; ` +
      `load: ${loader.name}, ${o.connections} connections, ${o.rounds} × ${o.seconds} s after ${o.warmup} s warm-up; ` +
      `queries=${o.queries}; gunicorn sync × ${o.pyWorkers}; Truss from ${trussEntry ? "tsc output" : "source"}`,
  )
  const profDir = join(root, "bench/results/tfb-profiles")
  const servers: ServerProcess[] = []
  const failed: { name: Implementation; problems: string[] }[] = []
  const results: TestResult[] = []
  try {
    for (const name of o.impls) {
      const prof = o.profile.includes(name) ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []
      const s = await startServer(name, await freePort(), {
        pin: pins.server,
        node,
        nodeFlags: prof,
        trussEntry,
        pyWorkers: o.pyWorkers,
      })
      const problems = await verifyServer(s.port)
      console.log(
        `${name}: ${problems.length ? `FAILS verification, not timed:\n  ${problems.join("\n  ")}` : "verified"}`,
      )
      if (problems.length) {
        failed.push({ name, problems })
        await s.stop()
      } else servers.push(s)
    }
    if (o.verifyOnly) return
    const db = await pgCpu()
    try {
      for (const test of o.tests) {
        const result = await measureTest(test, servers, o, loader, pins.load, db)
        results.push(result)
        console.log(`${textTable(result)}\n`)
      }
    } finally {
      await db.close()
    }
  } finally {
    for (const s of servers) await s.stop()
    if (trussEntry) rmSync(dirname(trussEntry), { recursive: true, force: true })
  }
  const command = `npm run bench -- tfb ${args.join(" ")}`.trim()
  const md = markdown(results, failed)
  console.log(`Markdown:\n\n${md}`)
  if (o.profile.length) console.log(`\nCPU profiles in ${profDir}`)
  const dir = join(root, "bench/results")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `tfb-${started.toISOString().replace(/[:.]/g, "-")}.json`)
  const saved = { ...o, loader: loader.name, pinned }
  writeFileSync(
    file,
    JSON.stringify(
      { date: started, machine: info, command, options: saved, failed, results },
      null,
      2,
    ),
  )
  console.log(`\nraw results: ${file}`)
}
