import { expect, test } from "vitest"
import { z } from "zod"
import { defineJob, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { connect, createTables } from "../../src/orm/index.js"

const ran: number[] = []
let open: () => void = () => {}
let gate = new Promise<void>((r) => {
  open = r
})
const gated = defineJob("prefetch.gated", {
  schema: z.object({ n: z.number() }),
  handler: async ({ n }) => {
    ran.push(n)
    await gate
  },
})

test("prefetch holds claimed jobs beyond concurrency, runs them in order, and releases held ones on stop", async () => {
  const db = await connect("sqlite::memory:")
  await createTables(db, jobsModels)
  const backend = useJobs(db)
  // Distinct run_at values make the claim order (priority, run_at) exact.
  const enqueue = async (ns: number[]) => {
    for (const n of ns) await gated.enqueue({ n }, { runAt: new Date(Date.now() - 10_000 + n) })
  }
  await enqueue([1, 2, 3, 4, 5, 6])
  const worker = startWorker({ backend, concurrency: 2, prefetch: 2, pollMs: 10, schedules: false })
  while ((await backend.list("running")).length < 4) await new Promise((r) => setTimeout(r, 10))
  // Two run, two are held (leased, `running` in the table), two stay queued.
  expect([ran, worker.running, (await backend.list("queued")).length]).toEqual([[1, 2], 2, 2])
  open()
  while ((await backend.list("done")).length < 6) await new Promise((r) => setTimeout(r, 10))
  expect(ran).toEqual([1, 2, 3, 4, 5, 6])
  gate = new Promise<void>((r) => {
    open = r
  })
  ran.length = 0
  await enqueue([7, 8, 9, 10])
  while ((await backend.list("running")).length < 4) await new Promise((r) => setTimeout(r, 10))
  await worker.stop(50)
  const rows = await backend.list("queued")
  const back = rows.map((r) => [JSON.parse(r.payload).n, r.attempts]).sort((a, b) => a[0] - b[0])
  expect(back).toEqual([
    [7, 0],
    [8, 0],
    [9, 0],
    [10, 0],
  ])
  expect(ran).toEqual([7, 8])
  await db.close()
})
