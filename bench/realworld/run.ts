/**
 * The RealWorld (Conduit) example under load on PostgreSQL: the articles list (20
 * articles with authors, favorite counts and tags), signed out and signed in, and the
 * feed of followed authors. Reports req/s, latency and SQL queries per request.
 *
 * `npm run bench -- realworld [--duration 10] [--connections 32] [--warmup 3]
 *  [--quiet-wait 4] [--pipeline 0] [--database postgres://postgres@127.0.0.1:5432/test]`
 *
 * `--pipeline 4` connects the server with `{ pipeline: 4, prepare: true }` instead of a
 * plain pool of 10 connections.
 *
 * The server runs as its own process on core 0 and autocannon on core 1 (with taskset);
 * each timed run first waits up to `--quiet-wait` seconds for both cores to be quiet
 * (other work under 15%). Queries per request are the server's own counts: SQL
 * statements over requests received, once in-flight requests have finished.
 * The seed lives in a fresh schema that is dropped at the end.
 * @module
 */
import { execFile, fork } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parseArgs, promisify } from "node:util"
import { conduitKeys } from "../../examples/realworld/auth.js"
import { migrate } from "../../examples/realworld/database.js"
import { connect } from "../../src/orm/index.js"
import { waitForQuiet } from "../http/quiet.js"
import { freePort } from "../http/server-process.js"
import { seed } from "./seed.js"

const run = promisify(execFile)
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const pin = (core: number) =>
  existsSync("/usr/bin/taskset") ? ["taskset", "-c", String(core)] : []

interface Load {
  requests: number
  rps: number
  p50ms: number
  p99ms: number
  errors: number
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "32" },
      database: { type: "string", default: "postgres://postgres@127.0.0.1:5432/test" },
      "quiet-wait": { type: "string", default: "4" },
      pipeline: { type: "string", default: "0" },
    },
  })
  const schema = `bench_realworld_${randomBytes(4).toString("hex")}`
  const admin = await connect(values.database)
  await admin.run(`CREATE SCHEMA "${schema}"`, [])
  const url = `${values.database}?options=-c%20search_path%3D${schema}`
  const secret = randomBytes(32).toString("hex")
  try {
    const db = await migrate(await connect(url))
    console.log(`seeding ${schema} …`)
    const { readerId } = await seed(db)
    await db.close()
    const token = await (await conduitKeys(secret)).sign({ sub: String(readerId) })
    const port = await freePort()
    const taskset = pin(0)
    const server = fork(here("./server.ts"), [], {
      execPath: taskset[0] ?? process.execPath,
      execArgv: [
        ...taskset.slice(1),
        ...(taskset.length > 0 ? [process.execPath] : []),
        "--import",
        "tsx",
      ],
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        JWT_SECRET: secret,
        PIPELINE: values.pipeline,
        NODE_ENV: "production",
      },
    })
    type Counts = { queries: number; requests: number }
    const counts = () =>
      new Promise<Counts>((resolve) => {
        server.once("message", (m) => resolve(m as Counts))
        server.send("counts")
      })
    // Requests still in flight when autocannon stops finish after it: wait for quiet.
    const settled = async () => {
      for (let last = await counts(); ; ) {
        await new Promise((r) => setTimeout(r, 300))
        const now = await counts()
        if (now.queries === last.queries) return now
        last = now
      }
    }
    await new Promise((resolve) => server.once("message", resolve))
    const base = `http://127.0.0.1:${port}`
    const auth = { authorization: `Token ${token}` }
    const scenarios = [
      ["articles, signed out", "/api/articles?limit=20", {}],
      ["articles, signed in", "/api/articles?limit=20", auth],
      ["feed (10 followed authors)", "/api/articles/feed?limit=20", auth],
    ] as const
    const rows: string[][] = []
    for (const [name, path, headers] of scenarios) {
      const counted = (await settled()).queries
      const check = await fetch(base + path, { headers })
      const body = (await check.json()) as { articles: unknown[] }
      if (check.status !== 200 || body.articles.length !== 20)
        throw new Error(`${path}: ${check.status}`)
      const exact = (await counts()).queries - counted
      const load = async (seconds: string) => {
        const config = {
          url: base + path,
          connections: Number(values.connections),
          duration: Number(seconds),
          headers,
        }
        const [bin = process.execPath, ...rest] = [...pin(1), process.execPath]
        const argv = [...rest, "--import", "tsx", here("./load.ts"), JSON.stringify(config)]
        const { stdout } = await run(bin, argv, { maxBuffer: 1 << 24 })
        return JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Load
      }
      await load(values.warmup)
      const busy = await waitForQuiet([0, 1], 0.15, Number(values["quiet-wait"]) * 1000)
      const before = await settled()
      const result = await load(values.duration)
      const after = await settled()
      const perRequest = (after.queries - before.queries) / (after.requests - before.requests)
      const cells = [
        result.rps.toFixed(0),
        result.p50ms,
        result.p99ms,
        exact,
        perRequest.toFixed(2),
      ]
      rows.push([name, ...cells.map(String), String(result.errors), `${Math.round(busy * 100)}%`])
      console.log(
        `${name}: ${result.rps.toFixed(0)} req/s, ${perRequest.toFixed(2)} queries/request`,
      )
    }
    server.send("stop")
    const header = [
      "scenario",
      "req/s",
      "p50 ms",
      "p99 ms",
      "queries (1 request)",
      "queries/request under load",
      "errors",
      "other load before",
    ]
    console.log(
      `\nConduit on PostgreSQL (${Number(values.pipeline) > 0 ? `pipeline: ${values.pipeline}, prepare` : "pool of 10"}), ${values.connections} connections, ${values.duration} s per scenario\n`,
    )
    console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`)
    for (const r of rows) console.log(`| ${r.join(" | ")} |`)
  } finally {
    await admin.run(`DROP SCHEMA "${schema}" CASCADE`, [])
    await admin.close()
  }
}
