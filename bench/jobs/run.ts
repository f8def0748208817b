/**
 * `npm run bench -- jobs [--jobs 20000] [--samples 200] [--only bullmq] [--rounds 1]`:
 * enqueue and process no-op jobs at
 * concurrency 10, Truss on PostgreSQL against pg-boss and graphile-worker on the same
 * database, Truss on SQLite, Truss's BullMQ backend against plain BullMQ; then pickup
 * latency (enqueue call to handler start) on an idle worker. Prints ratios. `--only` keeps
 * the systems whose name contains it (case-insensitive); `--rounds k` runs the throughput k times, alternating the systems,
 * and reports each system's median round.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Redis } from "ioredis"
import { connect } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../../test/support/services.js"
import { type Contender, type Latency, latency, type Throughput, throughput } from "./harness.js"
import { graphileWorker, pgBoss, plainBullmq } from "./peers.js"
import { trussBullmq, trussDatabase } from "./truss.js"

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}

const fmt = (x: number, d = 0) =>
  x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d })

/** Runs the suite. */
export async function run(args: string[]): Promise<void> {
  const n = arg(args, "--jobs", 20_000)
  const samples = arg(args, "--samples", 200)
  const concurrency = 10
  const makers: [string, () => Promise<Contender>][] = []
  const cleanup: (() => Promise<void>)[] = []
  const id = `${process.pid}`
  if (await hasService("postgres")) {
    const admin = await connect(SERVICES.postgres.url)
    const schema = `truss_bench_jobs_${id}`
    await admin.run(`CREATE SCHEMA "${schema}"`, [])
    const url = `${SERVICES.postgres.url}?options=-c%20search_path%3D${schema}`
    makers.push(["Truss PostgreSQL", () => trussDatabase("Truss PostgreSQL", url)])
    makers.push(["pg-boss", () => pgBoss(SERVICES.postgres.url, `pgboss_bench_${id}`)])
    makers.push(["graphile-worker", () => graphileWorker(SERVICES.postgres.url, `gw_bench_${id}`)])
    cleanup.push(async () => {
      for (const s of [schema, `pgboss_bench_${id}`, `gw_bench_${id}`])
        await admin.run(`DROP SCHEMA IF EXISTS "${s}" CASCADE`, [])
      await admin.close()
    })
  }
  const dir = mkdtempSync(join(tmpdir(), "truss-bench-jobs-"))
  makers.push([
    "Truss SQLite",
    () => trussDatabase("Truss SQLite", `sqlite:${join(dir, "jobs.db")}`),
  ])
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }))
  if (await hasService("redis")) {
    const url = SERVICES.redis.url
    let k = 0
    makers.push(["Truss BullMQ adapter", () => trussBullmq(url, `truss-bench:${id}:${++k}`)])
    makers.push(["BullMQ", () => plainBullmq(url, `truss-bench:${id}:${++k}`)])
    cleanup.push(async () => {
      const r = new Redis(url)
      const keys = await r.keys(`truss-bench:${id}:*`)
      for (let i = 0; i < keys.length; i += 1000) await r.del(...keys.slice(i, i + 1000))
      await r.quit()
    })
  }

  const only = args.includes("--only") ? String(args[args.indexOf("--only") + 1]) : ""
  const chosen = makers.filter(([name]) => name.toLowerCase().includes(only.toLowerCase()))
  const rounds = arg(args, "--rounds", 1)
  // Rounds alternate the systems, so a burst of load from elsewhere hits them alike.
  const runs: Throughput[][] = chosen.map(() => [])
  const pickups: Latency[] = []
  try {
    for (let round = 1; round <= rounds; round++)
      for (const [i, [name, make]] of chosen.entries()) {
        process.stderr.write(`${name}: throughput (round ${round}/${rounds})…\n`)
        runs[i]?.push(await throughput(await make(), n, concurrency))
      }
    for (const [name, make] of chosen) {
      process.stderr.write(`${name}: latency…\n`)
      pickups.push(await latency(await make(), samples, 5))
    }
  } finally {
    for (const c of cleanup) await c()
  }
  // The median round of each system by jobs/s.
  const rates = runs.map((r) => {
    const sorted = [...r].sort((a, b) => a.perSecond - b.perSecond)
    return sorted[Math.floor((sorted.length - 1) / 2)] as Throughput
  })

  const rate = (name: string) => rates.find((r) => r.name === name)?.perSecond ?? Number.NaN
  console.log(
    `Node ${process.version}; ${fmt(n)} no-op jobs, concurrency ${concurrency}; pickup: ${samples} jobs into an idle worker, 5 ms apart.\n`,
  )
  // Client CPU is this process's alone (the database or Redis server is not counted):
  // steadier than wall time on a loaded machine.
  console.log("| system | enqueue ms | process ms | jobs/s (enqueue + process) | client CPU ms |")
  console.log("|---|---:|---:|---:|---:|")
  for (const r of rates)
    console.log(
      `| ${r.name} | ${fmt(r.enqueueMs)} | ${fmt(r.processMs)} | ${fmt(r.perSecond)} | ${fmt(r.cpuMs)} |`,
    )
  if (rounds > 1) {
    console.log(`\nMedian of ${rounds} rounds; jobs/s of every round:`)
    for (const [i, [name]] of chosen.entries())
      console.log(`- ${name}: ${(runs[i] ?? []).map((r) => fmt(r.perSecond)).join(", ")}`)
  }
  console.log("\n| system | pickup p50 ms | pickup p99 ms |")
  console.log("|---|---:|---:|")
  for (const l of pickups) console.log(`| ${l.name} | ${fmt(l.p50, 1)} | ${fmt(l.p99, 1)} |`)
  const ratio = (a: string, b: string) =>
    Number.isNaN(rate(a) / rate(b)) ? "" : `\n${a} / ${b}: ${fmt(rate(a) / rate(b), 2)}×`
  const ratios = [
    ratio("Truss PostgreSQL", "pg-boss"),
    ratio("Truss PostgreSQL", "graphile-worker"),
    ratio("Truss BullMQ adapter", "BullMQ"),
  ]
  console.log(ratios.join(""))
}
