import { type ChildProcess, spawn } from "node:child_process"
import { expect, test } from "vitest"
import { jobsModels } from "../../src/jobs/index.js"
import { createTables } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const pg = (await testDatabases()).find((d) => d.name === "postgres")

function start(url: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/jobs/fixtures/schedule-worker.ts", url],
    { stdio: ["ignore", "pipe", "inherit"] },
  )
  const lines: Record<string, unknown>[] = []
  let rest = ""
  child.stdout?.on("data", (b) => {
    const parts = (rest + String(b)).split("\n")
    rest = parts.pop() ?? ""
    for (const p of parts) lines.push(JSON.parse(p) as Record<string, unknown>)
  })
  return { child, lines }
}

test.skipIf(pg?.available !== true)(
  "three worker processes on one schedule enqueue and run exactly one job per tick",
  async () => {
    const { db, url, drop } = await (pg as NonNullable<typeof pg>).open()
    try {
      await createTables(db, jobsModels)
      await db.run("CREATE TABLE sched_runs (tick BIGINT NOT NULL, pid INTEGER NOT NULL)", [])
      const workers = [start(url), start(url), start(url)]
      while (!workers.every((w) => w.lines.some((l) => l.msg === "ready")))
        await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 4200))
      for (const w of workers) w.child.kill("SIGTERM")
      await Promise.all(workers.map((w) => new Promise((r) => w.child.once("exit", r))))

      // Ticks every process saw: each one enqueued it and got the same job id back.
      const seen = workers.map(
        (w) =>
          new Map(w.lines.filter((l) => l.msg === "schedule tick").map((l) => [l.tick, l.jobId])),
      )
      const common = [...(seen[0]?.keys() ?? [])].filter((t) => seen.every((m) => m.has(t)))
      expect(common.length).toBeGreaterThanOrEqual(3)
      for (const t of common) expect(new Set(seen.map((m) => m.get(t))).size).toBe(1)

      const jobs = await db.run(
        "SELECT run_at, idem_key, state FROM truss_jobs WHERE name = 'procs.tick' ORDER BY run_at",
        [],
      )
      const runs = await db.run(
        "SELECT tick, COUNT(*) AS n FROM sched_runs GROUP BY tick ORDER BY tick",
        [],
      )
      const enqueued = jobs.rows.map((r) => Number(r.run_at))
      // One job per tick, keyed by its tick, the ticks one second apart.
      expect(jobs.rows.map((r) => r.idem_key)).toEqual(enqueued.map((t) => `schedule:procs:${t}`))
      expect(enqueued.slice(1).map((t, i) => t - (enqueued[i] as number))).toEqual(
        enqueued.slice(1).map(() => 1000),
      )
      // Each done job ran exactly once; only a tick enqueued as the workers stopped may wait.
      const done = jobs.rows.filter((r) => r.state === "done").map((r) => Number(r.run_at))
      expect(done).toEqual(enqueued.slice(0, done.length))
      expect(jobs.rows.slice(done.length).map((r) => r.state)).toEqual(
        enqueued.length - done.length === 1 ? ["queued"] : [],
      )
      expect(runs.rows.map((r) => [Number(r.tick), Number(r.n)])).toEqual(done.map((t) => [t, 1]))
      for (const t of common) expect(enqueued).toContain(Date.parse(String(t)))
    } finally {
      await drop()
    }
  },
  30_000,
)
