import { afterEach, beforeEach, expect, test } from "vitest"
import { z } from "zod"
import { defineJob, type JobBackend, startWorker, useJobs } from "../../src/jobs/index.js"
import type { Database } from "../../src/orm/index.js"

/** One backend under test, fresh (empty) for each test. */
export interface JobsTarget {
  readonly backend: JobBackend
  /** The database when the backend can enqueue inside its transactions. */
  readonly db?: Database
  close(): Promise<void>
}

const seen: number[] = []
let failures = 0
const ok = defineJob("conf.ok", {
  schema: z.object({ n: z.number() }),
  handler: ({ n }) => {
    seen.push(n)
  },
})
const ranked = defineJob("conf.ranked", {
  schema: z.object({ n: z.number() }),
  priority: 5,
  handler: ({ n }) => {
    seen.push(n)
  },
})
const once = defineJob("conf.unique", {
  schema: z.object({ user: z.number() }),
  unique: true,
  handler: ({ user }) => {
    seen.push(user)
  },
})
const flaky = defineJob("conf.flaky", {
  schema: z.object({}),
  retries: 2,
  backoff: 1,
  handler: () => {
    failures++
    throw new Error("boom")
  },
})
const hangs = defineJob("conf.hangs", {
  schema: z.object({}),
  retries: 0,
  timeout: 50,
  handler: () => new Promise(() => {}),
})
const stuck = defineJob("conf.stuck", {
  schema: z.object({}),
  handler: () => new Promise(() => {}),
})

async function until(f: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await f())) {
    if (Date.now() > end) throw new Error("timed out waiting")
    await new Promise((r) => setTimeout(r, 10))
  }
}

/**
 * The behaviour every job backend shares. Call it inside a `describe` with a function
 * that opens an empty backend.
 */
export function jobsConformance(open: () => Promise<JobsTarget>): void {
  let t: JobsTarget
  let b: JobBackend
  beforeEach(async () => {
    t = await open()
    b = useJobs(t.backend)
    seen.length = 0
    failures = 0
  })
  afterEach(() => t.close())
  const work = (o: { concurrency?: number } = {}) => startWorker({ backend: b, pollMs: 20, ...o })

  test("an enqueued job runs once and is done after one attempt", async () => {
    const id = await ok.enqueue({ n: 7 })
    const w = work()
    await until(async () => (await b.get(id))?.state === "done")
    await w.stop()
    const row = await b.get(id)
    expect([seen, row?.name, row?.attempts, row?.payload]).toEqual([[7], "conf.ok", 1, '{"n":7}'])
  })

  test("an invalid payload is refused with a coded error and never stored", async () => {
    await expect(ok.enqueue({ n: "x" } as unknown as { n: number })).rejects.toMatchObject({
      code: "TRUSS_ERR_JOBS_INVALID_PAYLOAD",
    })
    expect(await b.list()).toEqual([])
  })

  test("an idempotency key makes a second enqueue a no-op returning the same id", async () => {
    const a = await ok.enqueue({ n: 1 }, { idempotencyKey: "k" })
    const again = await ok.enqueue({ n: 2 }, { idempotencyKey: "k" })
    const many = await ok.enqueueMany([{ n: 3 }, { n: 4 }])
    expect([again, many.length, new Set([a, ...many]).size, (await b.list()).length]).toEqual([
      a,
      2,
      3,
      3,
    ])
  })

  test("a unique job is stored once while queued, and again after it ran", async () => {
    const a = await once.enqueue({ user: 1 })
    expect(await once.enqueue({ user: 1 })).toBe(a)
    const w = work()
    await until(async () => (await b.get(a))?.state === "done")
    const next = await once.enqueue({ user: 1 })
    await until(async () => (await b.get(next))?.state === "done")
    await w.stop()
    expect([next === a, seen]).toEqual([false, [1, 1]])
  })

  test("higher priority runs first", async () => {
    await ok.enqueue({ n: 1 })
    await ranked.enqueue({ n: 2 })
    const w = work({ concurrency: 1 })
    await until(async () => seen.length === 2)
    await w.stop()
    expect(seen).toEqual([2, 1])
  })

  test("a delayed job waits for its time", async () => {
    const enqueued = Date.now()
    const id = await ok.enqueue({ n: 1 }, { delay: 300 })
    const w = work()
    await new Promise((r) => setTimeout(r, 150))
    const early = (await b.get(id))?.state
    await until(async () => (await b.get(id))?.state === "done")
    await w.stop()
    expect([early, Date.now() - enqueued >= 300]).toEqual(["queued", true])
  })

  test("a throwing handler is retried, then dead-lettered with its error", async () => {
    const id = await flaky.enqueue({})
    const w = work()
    await until(async () => (await b.get(id))?.state === "dead")
    await w.stop()
    const row = await b.get(id)
    expect([row?.attempts, row?.error, failures]).toEqual([3, "boom", 3])
    expect((await b.list("dead")).map((r) => r.id)).toEqual([id])
  })

  test("a hanging handler times out with a coded error", async () => {
    const id = await hangs.enqueue({})
    const w = work()
    await until(async () => (await b.get(id))?.state === "dead")
    await w.stop()
    expect((await b.get(id))?.error).toBe(
      'Job "conf.hangs" ran longer than its timeout of 50 ms. Make the handler faster, or raise { timeout } in defineJob.',
    )
  })

  test("an unknown job name is dead-lettered with a coded error", async () => {
    const [id] = await b.insert([
      {
        name: "conf.nope",
        queue: "default",
        payload: "{}",
        priority: 0,
        maxAttempts: 3,
        runAt: Date.now(),
        key: null,
        unique: null,
      },
    ])
    const w = work()
    await until(async () => (await b.get(id ?? ""))?.state === "dead")
    await w.stop()
    expect((await b.get(id ?? ""))?.error).toBe(
      'No job named "conf.nope" is defined in this worker; the row was dead-lettered. Import the module that calls defineJob("conf.nope") in the worker, then retry it.',
    )
  })

  test("a cancelled queued job never runs", async () => {
    const id = await ok.enqueue({ n: 9 }, { delay: 100 })
    expect(await b.cancel(id)).toBe(true)
    const other = await ok.enqueue({ n: 1 })
    const w = work()
    await until(async () => (await b.get(other))?.state === "done")
    await new Promise((r) => setTimeout(r, 250))
    await w.stop()
    expect([seen, (await b.get(id))?.state, await b.cancel(id)]).toEqual([[1], "cancelled", false])
  })

  test("stop() releases a stuck job to queued without counting the attempt", async () => {
    const id = await stuck.enqueue({})
    const w = work()
    await until(async () => (await b.get(id))?.state === "running")
    await w.stop(50)
    const row = await b.get(id)
    expect([row?.state, row?.attempts]).toEqual(["queued", 0])
  })

  test("retry() queues a dead job again; purge() deletes; stats() counts", async () => {
    const dead = await flaky.enqueue({})
    const done = await ok.enqueue({ n: 1 })
    const w = work()
    await until(async () => (await b.get(dead))?.state === "dead")
    await until(async () => (await b.get(done))?.state === "done")
    expect((await b.stats()).default).toEqual({
      queued: 0,
      running: 0,
      done: 1,
      dead: 1,
      cancelled: 0,
    })
    expect([await b.retry(dead), await b.retry(done)]).toEqual([true, false])
    await until(async () => failures === 6 && (await b.get(dead))?.state === "dead")
    await w.stop()
    expect([await b.purge("done"), await b.get(done), (await b.list()).length]).toEqual([
      1,
      undefined,
      1,
    ])
  })

  test("a schedule's last tick only moves forward", async () => {
    expect(await b.lastTick("conf")).toBe(undefined)
    await b.markTick("conf", 2000)
    await b.markTick("conf", 1000)
    expect(await b.lastTick("conf")).toBe(2000)
  })

  test("a job enqueued in a rolled-back transaction never exists (or is refused with a code)", async () => {
    const db = t.db
    if (db === undefined) {
      await expect(ok.enqueue({ n: 1 }, { db: {} as Database })).rejects.toMatchObject({
        code: "TRUSS_ERR_JOBS_TRANSACTION_UNSUPPORTED",
      })
      expect(await b.list()).toEqual([])
      return
    }
    await expect(
      db.transaction(async (tx) => {
        await ok.enqueue({ n: 1 }, { db: tx })
        throw new Error("rollback")
      }),
    ).rejects.toThrow("rollback")
    await db.transaction(async (tx) => {
      await ok.enqueue({ n: 2 }, { db: tx })
    })
    const w = work()
    await until(async () => (await b.list("done")).length === 1)
    await w.stop()
    expect([seen, (await b.list()).length]).toEqual([[2], 1])
  })
}
