import { afterEach, beforeEach, describe, expect, test } from "vitest"
import { z } from "zod"
import { defineJob, type JobRow, jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const seen: number[] = []
let failures = 0
const ok = defineJob("test.ok", {
  schema: z.object({ n: z.number() }),
  handler: ({ n }) => {
    seen.push(n)
  },
})
const flaky = defineJob("test.flaky", {
  schema: z.object({}),
  retries: 1,
  backoff: 1,
  handler: () => {
    failures++
    throw new Error("boom")
  },
})
const hangs = defineJob("test.hangs", {
  schema: z.object({}),
  retries: 0,
  timeout: 50,
  handler: () => new Promise(() => {}),
})

const once = defineJob("test.unique", {
  schema: z.object({ user: z.number(), note: z.string() }),
  unique: ({ user }) => String(user),
  handler: ({ user }) => {
    seen.push(user)
  },
})

async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await f()); i++) await new Promise((r) => setTimeout(r, 25))
}

const dbs = (await testDatabases()).filter(
  (d) => d.name === "sqlite" || d.name === "postgres" || d.name === "mariadb",
)

describe.each(dbs)("jobs on $name", (entry) => {
  let db: Database
  let drop: () => Promise<void>
  beforeEach(async () => {
    if (!entry.available) return
    const opened = await entry.open()
    db = opened.db
    drop = opened.drop
    await createTables(db, jobsModels)
    seen.length = 0
    failures = 0
  })
  afterEach(async () => {
    if (entry.available) await drop()
  })

  test.skipIf(!entry.available)("an enqueued job runs once and is marked done", async () => {
    const backend = useJobs(db)
    const id = await ok.enqueue({ n: 7 })
    const worker = startWorker({ backend, pollMs: 20 })
    await until(async () => (await backend.get(id))?.state === "done")
    await worker.stop()
    expect(seen).toEqual([7])
    expect((await backend.get(id))?.attempts).toBe(1)
  })

  test.skipIf(!entry.available)(
    "an invalid payload is refused with a coded error and never stored",
    async () => {
      const backend = useJobs(db)
      await expect(ok.enqueue({ n: "x" } as unknown as { n: number })).rejects.toMatchObject({
        code: "TRUSS_ERR_JOBS_INVALID_PAYLOAD",
      })
      expect(await backend.list()).toEqual([])
    },
  )

  test.skipIf(!entry.available)(
    "a job enqueued in a rolled-back transaction never exists",
    async () => {
      const backend = useJobs(db)
      await expect(
        db.transaction(async (tx) => {
          await ok.enqueue({ n: 1 }, { db: tx })
          throw new Error("rollback")
        }),
      ).rejects.toThrow("rollback")
      await db.transaction(async (tx) => {
        await ok.enqueue({ n: 2 }, { db: tx })
      })
      const worker = startWorker({ backend, pollMs: 20 })
      await until(async () => (await backend.list("done")).length === 1)
      await worker.stop()
      expect(seen).toEqual([2])
      expect((await backend.list()).length).toBe(1)
    },
  )

  test.skipIf(!entry.available)("an idempotency key makes a second enqueue a no-op", async () => {
    const backend = useJobs(db)
    await ok.enqueue({ n: 1 }, { idempotencyKey: "k" })
    await ok.enqueue({ n: 1 }, { idempotencyKey: "k" })
    await ok.enqueueMany([{ n: 2 }, { n: 3 }])
    expect((await backend.list()).length).toBe(3)
  })

  test.skipIf(!entry.available)(
    "a unique job is stored once while queued, and again once it has ended",
    async () => {
      const backend = useJobs(db)
      const first = await once.enqueue({ user: 1, note: "a" })
      const again = await once.enqueue({ user: 1, note: "b" })
      const other = await once.enqueue({ user: 2, note: "c" })
      expect([again === first, other === first, (await backend.list()).length]).toEqual([
        true,
        false,
        2,
      ])
      const worker = startWorker({ backend, pollMs: 20 })
      await until(async () => (await backend.list("done")).length === 2)
      const next = await once.enqueue({ user: 1, note: "d" })
      await until(async () => (await backend.list("done")).length === 3)
      await worker.stop()
      expect([next === first, seen.sort(), (await backend.list()).length]).toEqual([
        false,
        [1, 1, 2],
        3,
      ])
    },
  )

  test.skipIf(!entry.available)(
    "a throwing handler is retried then dead-lettered with its error and stack",
    async () => {
      const backend = useJobs(db)
      const id = await flaky.enqueue({})
      const okId = await ok.enqueue({ n: 5 })
      const worker = startWorker({ backend, pollMs: 20 })
      await until(
        async () =>
          (await backend.get(id))?.state === "dead" && (await backend.get(okId))?.state === "done",
      )
      await worker.stop()
      const row = (await backend.get(id)) as JobRow
      expect([row.state, row.attempts, row.error, failures]).toEqual(["dead", 2, "boom", 2])
      expect(seen).toEqual([5])
    },
  )

  test.skipIf(!entry.available)("a hanging handler times out with a coded error", async () => {
    const backend = useJobs(db)
    const id = await hangs.enqueue({})
    const worker = startWorker({ backend, pollMs: 20 })
    await until(async () => (await backend.get(id))?.state === "dead")
    await worker.stop()
    expect((await backend.get(id))?.error).toBe(
      'Job "test.hangs" ran longer than its timeout of 50 ms. Make the handler faster, or raise { timeout } in defineJob.',
    )
  })

  test.skipIf(!entry.available)("an unknown job name in the table is dead-lettered", async () => {
    const backend = useJobs(db)
    await backend.insert([
      {
        name: "nope",
        queue: "default",
        payload: "{}",
        priority: 0,
        maxAttempts: 3,
        runAt: 0,
        key: null,
        unique: null,
      },
    ])
    const worker = startWorker({ backend, pollMs: 20 })
    await until(async () => (await backend.list("dead")).length === 1)
    await worker.stop()
    expect((await backend.list("dead"))[0]?.error).toContain('No job named "nope"')
  })

  test.skipIf(!entry.available)("a cancelled queued job never runs", async () => {
    const backend = useJobs(db)
    const id = await ok.enqueue({ n: 9 }, { delay: 100 })
    expect(await backend.cancel(id)).toBe(true)
    const okId = await ok.enqueue({ n: 1 })
    const worker = startWorker({ backend, pollMs: 20 })
    await until(async () => (await backend.get(okId))?.state === "done")
    await new Promise((r) => setTimeout(r, 150))
    await worker.stop()
    expect(seen).toEqual([1])
    expect((await backend.get(id))?.state).toBe("cancelled")
  })
})
