import { spawn } from "node:child_process"
import { expect, test } from "vitest"
import { z } from "zod"
import { defineJob, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { createTables } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const runs: number[] = []
const hang = defineJob("kill.hang", {
  schema: z.object({}),
  handler: (_, ctx) => {
    runs.push(ctx.attempt)
  },
})

const pg = (await testDatabases()).find((d) => d.name === "postgres")

test.skipIf(pg?.available !== true)(
  "a job whose worker was killed with SIGKILL is claimed again after its lease expires",
  async () => {
    const { db, url, drop } = await (pg as NonNullable<typeof pg>).open()
    try {
      await createTables(db, jobsModels)
      const backend = useJobs(db)
      const id = await hang.enqueue({})
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "test/jobs/fixtures/hang-worker.ts", url],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      )
      await new Promise<void>((resolve) =>
        child.stdout.on("data", (b) => String(b).includes("started") && resolve()),
      )
      expect((await backend.get(id))?.state).toBe("running")
      child.kill("SIGKILL")
      await new Promise((r) => child.once("exit", r))
      const worker = startWorker({ backend, pollMs: 50 })
      for (let i = 0; i < 100 && (await backend.get(id))?.state !== "done"; i++)
        await new Promise((r) => setTimeout(r, 50))
      await worker.stop()
      expect(runs).toEqual([2])
      expect((await backend.get(id))?.state).toBe("done")
    } finally {
      await drop()
    }
  },
  20_000,
)
