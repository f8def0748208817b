/**
 * Diagnostics: CPU cost per World lookup, client side (this Node process) and server
 * side (all PostgreSQL processes), for the raw driver with a named (prepared)
 * statement, the raw driver with an unnamed one, and the Truss ORM's `get({ id })`
 * without and with `connect(url, { prepare: true })`.
 * CPU time, unlike req/s, barely moves when other processes share the machine.
 *
 * `npx tsx bench/tfb/query-cost.ts [queries=20000] [concurrency=16]`
 * @module
 */
import { readFileSync } from "node:fs"
import pg from "pg"
import { connect, field, model } from "../../src/orm/index.js"
import { DATABASE_URL, randomWorld } from "./db.js"

const total = Number(process.argv[2] ?? 20_000)
const concurrency = Number(process.argv[3] ?? 16)

/** The PostgreSQL backends serving this database (our pools), not other people's. */
async function backends(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  )
  return rows.map((r) => r.pid)
}

function postgresTicks(pids: readonly number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      ticks += Number(f[11]) + Number(f[12])
    } catch {}
  }
  return ticks
}

async function measure(name: string, one: () => Promise<unknown>): Promise<void> {
  let warm = 2000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (warm-- > 0) await one()
    }),
  )
  const pids = await backends()
  const cpu = process.cpuUsage()
  const pgTicks = postgresTicks(pids)
  const start = performance.now()
  let left = total
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await one()
    }),
  )
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  const nodeUs = (used.user + used.system) / total
  const pgUs = ((postgresTicks(pids) - pgTicks) * 10_000) / total
  console.log(
    `${name.padEnd(24)} ${((total / ms) * 1000).toFixed(0).padStart(7)} q/s  node ${nodeUs.toFixed(1).padStart(5)} µs/q  postgres ${pgUs.toFixed(1).padStart(5)} µs/q`,
  )
}

const admin = new pg.Client({ connectionString: DATABASE_URL })
await admin.connect()
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: concurrency })
const text = "SELECT id, randomnumber FROM world WHERE id = $1"
const World = model(
  "world",
  { randomNumber: field.integer({ dbColumn: "randomnumber" }) },
  { table: "world" },
)
const db = await connect(DATABASE_URL, { poolSize: concurrency })
const prepared = await connect(DATABASE_URL, { poolSize: concurrency, prepare: true })
const rounds = Number(process.env.ROUNDS ?? 2)
for (let r = 0; r < rounds; r++) {
  await measure("pg named (prepared)", () =>
    pool.query({ name: "w", text, values: [randomWorld()] }),
  )
  await measure("pg unnamed", () => pool.query({ text, values: [randomWorld()] }))
  await measure("orm get({ id })", () => db.query(World).get({ id: randomWorld() }))
  await measure("orm get, prepare: true", () => prepared.query(World).get({ id: randomWorld() }))
}
await pool.end()
await admin.end()
await db.close()
await prepared.close()
