import { expect, test } from "vitest"
import { z } from "zod"
import { defineJob, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { connect, createTables } from "../../src/orm/index.js"

const finished: string[] = []
const slow = defineJob("shutdown.slow", {
  schema: z.object({}),
  handler: async () => {
    await new Promise((r) => setTimeout(r, 100))
    finished.push("slow")
  },
})
const stuck = defineJob("shutdown.stuck", {
  schema: z.object({}),
  handler: () => new Promise(() => {}),
})

test("stop() lets running jobs finish within the timeout, then releases the rest to queued", async () => {
  const db = await connect("sqlite::memory:")
  await createTables(db, jobsModels)
  const backend = useJobs(db)
  const slowId = await slow.enqueue({})
  const stuckId = await stuck.enqueue({})
  const worker = startWorker({ backend, pollMs: 10 })
  while ((await backend.list("running")).length < 2) await new Promise((r) => setTimeout(r, 10))
  await worker.stop(300)
  expect(finished).toEqual(["slow"])
  expect((await backend.get(slowId))?.state).toBe("done")
  const released = await backend.get(stuckId)
  expect([released?.state, released?.attempts]).toEqual(["queued", 0])
  await db.close()
})
