/**
 * `npx tsx bench/orm/quick.ts [op] [rounds]`: raw better-sqlite3 vs Truss ORM only, on
 * SQLite, with CPU time (`process.cpuUsage()`) and wall time per operation; rounds
 * alternate between the two and medians are shown. Quicker and steadier than the full
 * run on a loaded machine. `PROFILE=op` runs only Truss on that op (for `--cpu-prof`).
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connect } from "../../src/orm/index.js"
import { type Contender, OPERATIONS, type OperationKey, once } from "./harness.js"
import { seed } from "./schema.js"
import { raw, truss } from "./sqlite.js"

async function round(c: Contender, op: OperationKey, n: number): Promise<[number, number]> {
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await once(c, op, i)
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / n
  const cpu = process.cpuUsage(cpu0)
  return [(cpu.user + cpu.system) / n, wall]
}

const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

const dir = mkdtempSync(join(tmpdir(), "truss-quick-"))
try {
  const file = join(dir, "bench.db")
  const setup = await connect(`sqlite:${file}`)
  await seed(setup)
  await setup.close()
  const contenders = [raw(file), truss(await connect(`sqlite:${file}`))]
  const only = process.argv[2]
  const rounds = Number(process.argv[3] ?? 15)
  const profile = process.env.PROFILE as OperationKey | undefined
  if (profile) {
    const t = contenders[1] as Contender
    const op = OPERATIONS.find((o) => o.key === profile)
    const n = op?.key === "bulkInsert" ? 400 : Number(process.env.N ?? 100_000)
    for (let i = 0; i < n; i++) await once(t, profile, i)
  } else {
    console.log(
      "| operation | raw CPU µs | Truss CPU µs | ×raw (CPU) | raw wall µs | Truss wall µs | ×raw (wall) |",
    )
    console.log("|---|---:|---:|---:|---:|---:|---:|")
    for (const op of OPERATIONS) {
      if (only && only !== "all" && op.key !== only) continue
      const n = op.iterations
      for (const c of contenders) for (let i = 0; i < n / 2; i++) await once(c, op.key, i)
      const cpu: number[][] = [[], []]
      const wall: number[][] = [[], []]
      const ratioCpu: number[] = []
      const ratioWall: number[] = []
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0]
        const got: [number, number][] = [
          [0, 0],
          [0, 0],
        ]
        for (const k of order) {
          await contenders[0]?.settle?.()
          got[k] = await round(contenders[k] as Contender, op.key, n)
        }
        for (const k of [0, 1]) {
          cpu[k]?.push(got[k]?.[0] ?? 0)
          wall[k]?.push(got[k]?.[1] ?? 0)
        }
        ratioCpu.push((got[1]?.[0] ?? 0) / (got[0]?.[0] ?? 1))
        ratioWall.push((got[1]?.[1] ?? 0) / (got[0]?.[1] ?? 1))
      }
      const f = (x: number) => x.toFixed(1)
      console.log(
        `| ${op.label} | ${f(median(cpu[0] ?? []))} | ${f(median(cpu[1] ?? []))} | ${median(ratioCpu).toFixed(2)}× | ${f(median(wall[0] ?? []))} | ${f(median(wall[1] ?? []))} | ${median(ratioWall).toFixed(2)}× |`,
      )
    }
  }
  for (const c of contenders) await c.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
