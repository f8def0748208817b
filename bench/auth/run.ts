/**
 * The auth benchmark (issue 13): a JSON route for a logged-in user (database session
 * and user loaded by `auth()`) against the same JSON route with no middleware and with
 * the session alone, on SQLite and on PostgreSQL, in one run. Prints req/s, the ratios
 * (target: `/me` ≥ 0.7× `/session`, the same route without auth), the database queries per request of each route, and
 * the argon2id time per login with the chosen parameters.
 *
 * `npm run bench -- auth [--duration 3] [--rounds 3] [--warmup 2] [--connections 50]
 *  [--db sqlite,postgres]`
 * @module
 */
import { randomBytes } from "node:crypto"
import { rmSync } from "node:fs"
import { dirname } from "node:path"
import { parseArgs } from "node:util"
import { hashPassword, verifyPassword } from "../../src/auth/index.js"
import { connect } from "../../src/orm/index.js"
import { autocannonLoader, findWrk, type Loader } from "../http/load.js"
import { median } from "../http/report.js"
import { freePort } from "../http/server-process.js"
import { buildTruss, cpuSeconds, nodeBinary, root, start, stop } from "../support/processes.js"

const PATHS = ["/plain", "/session", "/me"] as const
type Path = (typeof PATHS)[number]
const PG = process.env.TRUSS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test"

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "3" },
      rounds: { type: "string", default: "3" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "50" },
      db: { type: "string", default: "sqlite,postgres" },
    },
  })
  return {
    seconds: Number(values.duration),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    dbs: values.db.split(","),
  }
}

/** An own PostgreSQL schema for one run, dropped after. */
async function postgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = await connect(PG)
  const schema = `truss_bench_auth_${randomBytes(3).toString("hex")}`
  await admin.run(`CREATE SCHEMA "${schema}"`, [])
  return {
    url: `${PG}?options=-c%20search_path%3D${schema}`,
    async drop() {
      await admin.run(`DROP SCHEMA "${schema}" CASCADE`, [])
      await admin.close()
    },
  }
}

async function loginCookie(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/login`, { method: "POST" })
  const cookie = res.headers.getSetCookie()[0]?.split(";")[0]
  if (res.status !== 200 || !cookie) throw new Error(`login answered ${res.status}`)
  return cookie
}

async function check(port: number, path: Path, cookie: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } })
  const body = await res.text()
  if (res.status !== 200 || body !== '{"email":"bench@example.com"}') {
    throw new Error(`${path} answered ${res.status} ${body}`)
  }
}

interface DbResult {
  db: string
  rps: Record<Path, number>
  queries: Record<Path, number>
  coreShare: number
}

async function measure(db: string, entry: string, loader: Loader, o: ReturnType<typeof options>) {
  const pg = db === "postgres" ? await postgresSchema() : undefined
  const port = await freePort()
  const env = { TRUSS_ENTRY: entry, PORT: String(port), DB_URL: pg?.url ?? "sqlite::memory:" }
  const server = await start(
    ["taskset", "-c", "0", nodeBinary(), `${root}bench/auth/server.ts`],
    "auth bench server on",
    env,
  )
  try {
    const cookie = await loginCookie(port)
    for (const path of PATHS) await check(port, path, cookie)
    const load = (path: Path, seconds: number) =>
      loader.load({
        port,
        seconds,
        connections: o.connections,
        pin: ["taskset", "-c", "1"],
        requests: [{ method: "GET", path, headers: { cookie } }],
      })
    for (const path of PATHS) await load(path, o.warmup)
    const stats = async () =>
      (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
        requests: number
        queries: number
      }
    const counted: Record<Path, { requests: number; queries: number }> = {
      "/plain": { requests: 0, queries: 0 },
      "/session": { requests: 0, queries: 0 },
      "/me": { requests: 0, queries: 0 },
    }
    const samples: Record<Path, number[]> = { "/plain": [], "/session": [], "/me": [] }
    let cpu = 0
    let wall = 0
    for (let round = 0; round < o.rounds; round++) {
      for (const path of [...PATHS.slice(round % 3), ...PATHS.slice(0, round % 3)]) {
        const before = await stats()
        const cpuBefore = cpuSeconds(server.pid!)
        const result = await load(path, o.seconds)
        cpu += cpuSeconds(server.pid!) - cpuBefore
        const after = await stats()
        // The stats request itself is one request with no query.
        counted[path].requests += after.requests - before.requests - 1
        counted[path].queries += after.queries - before.queries
        wall += result.seconds
        if (result.errors > 0) throw new Error(`${path}: ${result.errors} errors`)
        samples[path].push(result.rps)
      }
    }
    const perRequest = (path: Path) => counted[path].queries / counted[path].requests
    return {
      db,
      rps: Object.fromEntries(PATHS.map((p) => [p, median(samples[p])])) as Record<Path, number>,
      queries: Object.fromEntries(PATHS.map((p) => [p, perRequest(p)])) as Record<Path, number>,
      coreShare: cpu / wall,
    } satisfies DbResult
  } finally {
    await stop(server)
    await pg?.drop()
  }
}

async function hashTimes(): Promise<{ hash: number; verify: number }> {
  const hashes: number[] = []
  const verifies: number[] = []
  for (let i = 0; i < 10; i++) {
    let t = performance.now()
    const encoded = await hashPassword("a long benchmark passphrase")
    hashes.push(performance.now() - t)
    t = performance.now()
    await verifyPassword(encoded, "a long benchmark passphrase")
    verifies.push(performance.now() - t)
  }
  return { hash: median(hashes), verify: median(verifies) }
}

/** Runs the auth benchmark with CLI arguments. */
export async function run(args: string[]): Promise<void> {
  const o = options(args)
  const loader = (await findWrk()) ?? autocannonLoader
  const entry = buildTruss(nodeBinary(), "auth-truss", "auth/index.js")
  console.log(
    `auth bench: ${loader.name}, ${o.connections} connections, ${o.rounds} × ${o.seconds} s per route, server on core 0, load on core 1`,
  )
  try {
    const rows: DbResult[] = []
    for (const db of o.dbs) rows.push(await measure(db, entry, loader, o))
    console.log("\n| database | route | req/s | × /plain | × /session | queries/request |")
    console.log("|---|---|---:|---:|---:|---:|")
    for (const r of rows) {
      for (const p of PATHS) {
        const x = (base: Path) => `${(r.rps[p] / r.rps[base]).toFixed(2)}×`
        const q = r.queries[p].toFixed(2)
        console.log(
          `| ${r.db} | ${p} | ${Math.round(r.rps[p])} | ${x("/plain")} | ${x("/session")} | ${q} |`,
        )
      }
    }
    for (const r of rows)
      console.log(`${r.db}: server got ${(r.coreShare * 100).toFixed(0)}% of its core`)
    const t = await hashTimes()
    console.log(
      `\nargon2id (m=19456 KiB, t=2, p=1): hash ${t.hash.toFixed(1)} ms, verify ${t.verify.toFixed(1)} ms per login (median of 10)`,
    )
  } finally {
    rmSync(dirname(entry), { recursive: true, force: true })
  }
}
