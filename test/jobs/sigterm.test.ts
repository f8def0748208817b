import { spawn } from "node:child_process"
import { expect, test } from "vitest"
import { z } from "zod"
import { defineJob, jobsModels, useJobs } from "../../src/jobs/index.js"
import { createTables } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const slow = defineJob("sigterm.slow", { schema: z.object({}), handler: () => {} })
const stuck = defineJob("sigterm.stuck", { schema: z.object({}), handler: () => {} })
const pg = (await testDatabases()).find((d) => d.name === "postgres")

test.skipIf(pg?.available !== true)(
  "SIGTERM lets the running job finish, releases the stuck one after shutdownMs, and exits 0",
  async () => {
    const { db, url, drop } = await (pg as NonNullable<typeof pg>).open()
    try {
      await createTables(db, jobsModels)
      const backend = useJobs(db)
      const slowId = await slow.enqueue({})
      const stuckId = await stuck.enqueue({})
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "test/jobs/fixtures/sigterm-worker.ts", url],
        { stdio: ["ignore", "pipe", "inherit"] },
      )
      let out = ""
      child.stdout.on("data", (b) => {
        out += String(b)
      })
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
      while ((await backend.list("running")).length < 2) await new Promise((r) => setTimeout(r, 20))
      const sent = Date.now()
      child.kill("SIGTERM")
      const code = await exited
      const took = Date.now() - sent
      const slowRow = await backend.get(slowId)
      const stuckRow = await backend.get(stuckId)
      expect([code, slowRow?.state, slowRow?.attempts]).toEqual([0, "done", 1])
      expect([stuckRow?.state, stuckRow?.attempts]).toEqual(["queued", 0])
      // The stuck job was held for shutdownMs (1000 ms), not forever.
      expect(took).toBeGreaterThanOrEqual(1000)
      expect(took).toBeLessThan(5000)
      const lines = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const events = lines.map((l) => [l.msg, l.job ?? l.signal ?? l.jobId])
      expect(events).toEqual([
        ["worker stopping", "SIGTERM"],
        ["job done", "sigterm.slow"],
        ["job released on shutdown", stuckId],
      ])
    } finally {
      await drop()
    }
  },
  20_000,
)
