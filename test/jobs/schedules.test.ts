import { afterEach, beforeEach, describe, expect, test } from "vitest"
import { z } from "zod"
import {
  type DatabaseBackend,
  defineJob,
  defineSchedule,
  jobsModels,
  startWorker,
  useJobs,
} from "../../src/jobs/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"

const runs: number[] = []
const tick = defineJob("schedules.tick", {
  schema: z.object({ at: z.number() }),
  handler: ({ at }) => {
    runs.push(at)
  },
})
const MINUTE = 60_000

describe("schedule ticks", () => {
  test("a cron pattern follows its time zone across a DST change", () => {
    const s = defineSchedule("0 3 * * *", tick, { timezone: "America/New_York" })
    const first = s.next(new Date("2026-03-07T12:00:00Z"))
    expect([
      new Date(first).toISOString(),
      new Date(s.next(new Date(first))).toISOString(),
      new Date(s.previous(new Date("2026-03-08T06:59:59Z")) ?? 0).toISOString(),
      s.name,
    ]).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T07:00:00.000Z",
      "2026-03-07T08:00:00.000Z",
      "schedules.tick@0 3 * * *",
    ])
  })

  test("an interval ticks on multiples of itself since the epoch", () => {
    const s = defineSchedule({ every: MINUTE }, tick, { name: "every-minute" })
    const at = new Date("2026-01-01T12:00:30Z")
    expect([
      new Date(s.next(at)).toISOString(),
      new Date(s.previous(at) ?? 0).toISOString(),
    ]).toEqual(["2026-01-01T12:01:00.000Z", "2026-01-01T12:00:00.000Z"])
  })

  test("a bad pattern, a short interval and a taken name are refused with coded errors", () => {
    const codes = [
      () => defineSchedule("61 * * * *", tick, { name: "bad" }),
      () => defineSchedule({ every: 10 }, tick, { name: "short" }),
      () => defineSchedule({ every: MINUTE }, tick, { name: "every-minute" }),
    ].map((f) => {
      try {
        f()
        return "no error"
      } catch (err) {
        return (err as { code: string }).code
      }
    })
    expect(codes).toEqual([
      "TRUSS_ERR_JOBS_INVALID_SCHEDULE",
      "TRUSS_ERR_JOBS_INVALID_SCHEDULE",
      "TRUSS_ERR_JOBS_DUPLICATE_SCHEDULE",
    ])
  })
})

describe("missed ticks", () => {
  let db: Database
  let backend: DatabaseBackend
  beforeEach(async () => {
    db = await connect("sqlite::memory:")
    await createTables(db, jobsModels)
    backend = useJobs(db)
    runs.length = 0
  })
  afterEach(() => db.close())
  const hourly = (name: string, missed: "skip" | "runOnce") =>
    defineSchedule({ every: 3_600_000 }, tick, { name, missed, data: (t) => ({ at: t.getTime() }) })
  const lastHour = () => Math.floor(Date.now() / 3_600_000) * 3_600_000

  test("runOnce enqueues one job for the latest missed tick, and a restart none", async () => {
    const s = hourly("catch-up", "runOnce")
    await backend.markTick(s.name, lastHour() - 5 * 3_600_000)
    const worker = startWorker({ backend, pollMs: 10, schedules: [s] })
    while ((await backend.list("done")).length < 1) await new Promise((r) => setTimeout(r, 10))
    await worker.stop()
    const again = startWorker({ backend, pollMs: 10, schedules: [s] })
    await new Promise((r) => setTimeout(r, 200))
    await again.stop()
    const rows = await backend.list()
    expect([runs, rows.map((r) => [r.state, r.runAt]), await backend.lastTick(s.name)]).toEqual([
      [lastHour()],
      [["done", lastHour()]],
      lastHour(),
    ])
  })

  test("skip enqueues nothing for missed ticks and moves the last tick forward", async () => {
    const s = hourly("skipper", "skip")
    await backend.markTick(s.name, lastHour() - 5 * 3_600_000)
    const worker = startWorker({ backend, pollMs: 10, schedules: [s] })
    for (let i = 0; i < 100 && (await backend.lastTick(s.name)) !== lastHour(); i++)
      await new Promise((r) => setTimeout(r, 10))
    await worker.stop()
    expect([await backend.list(), await backend.lastTick(s.name)]).toEqual([[], lastHour()])
  })

  test("a schedule's first start records the tick and enqueues nothing", async () => {
    const s = hourly("fresh", "runOnce")
    const worker = startWorker({ backend, pollMs: 10, schedules: [s] })
    for (let i = 0; i < 100 && (await backend.lastTick(s.name)) === undefined; i++)
      await new Promise((r) => setTimeout(r, 10))
    await worker.stop()
    expect([await backend.list(), await backend.lastTick(s.name)]).toEqual([[], lastHour()])
  })
})
