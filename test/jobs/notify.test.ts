import { expect, test } from "vitest"
import { z } from "zod"
import { defineJob, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { createTables } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const started = new Map<number, number>()
const ping = defineJob("notify.ping", {
  schema: z.object({ n: z.number() }),
  handler: ({ n }) => {
    started.set(n, performance.now())
  },
})
const pg = (await testDatabases()).find((d) => d.name === "postgres")
const POLL = 5000

test.skipIf(pg?.available !== true)(
  "an idle PostgreSQL worker picks a job up on NOTIFY, long before its poll interval",
  async () => {
    const { db, drop } = await (pg as NonNullable<typeof pg>).open()
    try {
      await createTables(db, jobsModels)
      const backend = useJobs(db)
      const worker = startWorker({ backend, pollMs: POLL })
      await worker.ready
      const latencies: number[] = []
      for (let n = 0; n < 20; n++) {
        // Idle between jobs, so each pickup needs a wake-up.
        await new Promise((r) => setTimeout(r, 20))
        const sent = performance.now()
        await ping.enqueue({ n })
        while (!started.has(n)) await new Promise((r) => setTimeout(r, 1))
        latencies.push((started.get(n) as number) - sent)
      }
      // Inside a transaction the NOTIFY is delivered on commit, when the row is visible.
      let committed = 0
      await db.transaction(async (tx) => {
        await ping.enqueue({ n: 100 }, { db: tx })
        await new Promise((r) => setTimeout(r, 300))
        committed = performance.now()
      })
      while (!started.has(100)) await new Promise((r) => setTimeout(r, 1))
      await worker.stop()
      const afterCommit = (started.get(100) as number) - committed
      expect(latencies.length).toBe(20)
      expect(Math.max(...latencies)).toBeLessThan(POLL / 10)
      expect(afterCommit).toBeGreaterThanOrEqual(0)
      expect(afterCommit).toBeLessThan(POLL / 10)
      expect((await backend.list("done")).length).toBe(21)
    } finally {
      await drop()
    }
  },
  30_000,
)
