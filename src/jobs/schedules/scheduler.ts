import type { JobBackend } from "../backend.js"
import { newJob } from "../define.js"
import type { JobLogger } from "../run.js"
import type { Schedule } from "./define.js"

// setTimeout holds at most 2^31-1 ms; longer waits are taken in steps.
const MAX_SLEEP = 3_600_000

/** The idempotency key of one tick: the same in every process. */
export function tickKey(schedule: Schedule, tick: number): string {
  return `schedule:${schedule.name}:${tick}`
}

async function enqueueTick(b: JobBackend, s: Schedule, tick: number): Promise<string> {
  const row = await newJob(s.job, s.data(tick), {
    idempotencyKey: tickKey(s, tick),
    runAt: new Date(tick),
  })
  const [id] = await b.insert([row])
  await b.markTick(s.name, tick)
  return id ?? ""
}

/** Applies the missed-tick policy once, when the scheduler starts. */
async function catchUp(b: JobBackend, s: Schedule, log?: JobLogger): Promise<void> {
  const last = await b.lastTick(s.name)
  const prev = s.previous(new Date())
  if (prev === undefined) return
  if (last === undefined || prev <= last) {
    // First run ever, or nothing missed: remember where we are, enqueue nothing.
    if (last === undefined) await b.markTick(s.name, prev)
    return
  }
  if (s.missed === "runOnce") {
    const jobId = await enqueueTick(b, s, prev)
    log?.info(
      { schedule: s.name, tick: new Date(prev).toISOString(), jobId },
      "missed tick run once",
    )
  } else {
    await b.markTick(s.name, prev)
    log?.info({ schedule: s.name, since: new Date(last).toISOString() }, "missed ticks skipped")
  }
}

/**
 * Runs schedules until the returned stop is called: applies each missed-tick policy,
 * then enqueues every tick as it comes.
 */
export function runSchedules(
  backend: JobBackend,
  schedules: readonly Schedule[],
  log?: JobLogger,
): () => void {
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  const arm = (s: Schedule, tick: number): void => {
    if (stopped || !Number.isFinite(tick)) return
    const wait = Math.min(tick - Date.now(), MAX_SLEEP)
    const timer = setTimeout(
      () => {
        timers.delete(timer)
        if (Date.now() < tick) return arm(s, tick)
        enqueueTick(backend, s, tick).then(
          (jobId) =>
            log?.info(
              { schedule: s.name, tick: new Date(tick).toISOString(), jobId },
              "schedule tick",
            ),
          (err: unknown) => log?.error({ schedule: s.name, err }, "schedule tick failed"),
        )
        arm(s, s.next(new Date(tick)))
      },
      Math.max(0, wait),
    )
    timers.add(timer)
  }
  for (const s of schedules) {
    catchUp(backend, s, log)
      .catch((err: unknown) => log?.error({ schedule: s.name, err }, "schedule catch-up failed"))
      .finally(() => arm(s, s.next(new Date())))
  }
  return () => {
    stopped = true
    for (const t of timers) clearTimeout(t)
  }
}
