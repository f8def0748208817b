import { expect, test } from "vitest"
import { z } from "zod"
import { App } from "../../src/index.js"
import { defineJob, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { connect, createTables } from "../../src/orm/index.js"

const fine = defineJob("applog.fine", { schema: z.object({}), handler: () => {} })
const bad = defineJob("applog.bad", {
  schema: z.object({}),
  retries: 1,
  backoff: 1,
  handler: () => {
    throw new Error("nope")
  },
})

test("startWorker(app) logs job events through the app's logger and stops when the app closes", async () => {
  const lines: Record<string, unknown>[] = []
  const app = new App({
    logger: { destination: { write: (l: string) => void lines.push(JSON.parse(l)) } },
  })
  const db = await connect("sqlite::memory:")
  await createTables(db, jobsModels)
  const backend = useJobs(db)
  const fineId = await fine.enqueue({}, { runAt: new Date(Date.now() - 1000) })
  const badId = await bad.enqueue({})
  const worker = startWorker(app, { pollMs: 10, concurrency: 1 })
  while ((await backend.get(badId))?.state !== "dead") await new Promise((r) => setTimeout(r, 10))
  await app.close()
  await worker.stopped
  // "job done" is logged once its batched write landed, which may be after the next
  // job ran: compare in level order.
  const ordered = [...lines].sort((a, b) => Number(a.level) - Number(b.level))
  const events = ordered.map((l) => [l.level, l.msg, l.job, l.jobId, l.attempt])
  expect(events).toEqual([
    [30, "job done", "applog.fine", fineId, 1],
    [40, "job failed, retrying", "applog.bad", badId, 1],
    [50, "job dead-lettered", "applog.bad", badId, 2],
  ])
  expect(ordered[2]?.err).toMatchObject({ message: "nope" })
  expect(worker.running).toBe(0)
  await db.close()
})
