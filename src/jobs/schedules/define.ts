import { Cron } from "croner"
import type { Job } from "../define.js"
import { jobsErrors } from "../errors.js"
import { state } from "../state.js"

/**
 * How a schedule treats ticks that passed while no worker ran: `"skip"` drops them,
 * `"runOnce"` enqueues one job for the latest of them when a worker starts.
 *
 * @example
 * ```ts
 * import type { MissedTicks } from "truss/jobs"
 * const policy: MissedTicks = "runOnce"
 * ```
 */
export type MissedTicks = "skip" | "runOnce"

/**
 * Options of {@link defineSchedule}.
 *
 * @example
 * ```ts
 * import type { ScheduleOptions } from "truss/jobs"
 * const o: ScheduleOptions<{ day: string }> = {
 *   timezone: "Europe/Paris",
 *   data: (tick) => ({ day: tick.toISOString().slice(0, 10) }),
 * }
 * ```
 */
export interface ScheduleOptions<T> {
  /** Unique name of the schedule. @default `<job name>@<pattern>` */
  readonly name?: string
  /** IANA time zone of a cron pattern. @default UTC */
  readonly timezone?: string
  /** The payload, or a function of the tick's time. @default `{}` */
  readonly data?: T | ((tick: Date) => T)
  /** @default "skip" */
  readonly missed?: MissedTicks
}

/**
 * A defined schedule.
 *
 * @example
 * ```ts
 * import type { Schedule } from "truss/jobs"
 * const after = (s: Schedule) => s.next(new Date("2026-01-01T00:00:00Z"))
 * ```
 */
export interface Schedule {
  readonly name: string
  readonly job: Job<unknown>
  readonly missed: MissedTicks
  /** The first tick strictly after `from` (epoch ms). */
  next(from: Date): number
  /** The latest tick at or before `at`, if any. */
  previous(at: Date): number | undefined
  /** The payload for a tick (validated by the job's schema at enqueue). */
  data(tick: number): unknown
}

/** @internal Every schedule defined in this process. */
export function definedSchedules(): Schedule[] {
  return [...state.schedules.values()]
}

function ticker(
  name: string,
  when: string | { every: number },
  timezone: string | undefined,
): Pick<Schedule, "next" | "previous"> {
  if (typeof when !== "string") {
    const ms = when.every
    if (!Number.isInteger(ms) || ms < 1000)
      throw jobsErrors.INVALID_SCHEDULE({ schedule: name, reason: `every: ${ms} is not >= 1000` })
    // Ticks sit on multiples of the interval since the epoch, so every process agrees.
    return {
      next: (from) => (Math.floor(from.getTime() / ms) + 1) * ms,
      previous: (at) => Math.floor(at.getTime() / ms) * ms,
    }
  }
  let cron: Cron
  try {
    cron = new Cron(when, { timezone: timezone ?? "Etc/UTC", paused: true })
  } catch (err) {
    throw jobsErrors.INVALID_SCHEDULE({ schedule: name, reason: String(err) }, { cause: err })
  }
  return {
    next: (from) => cron.nextRun(from)?.getTime() ?? Number.POSITIVE_INFINITY,
    // previousRuns includes a run in the same second as the reference.
    previous: (at) => cron.previousRuns(1, new Date(at.getTime() + 1))[0]?.getTime(),
  }
}

/**
 * Enqueues `job` on a cron pattern (croner syntax, 5 or 6 fields) or every `ms`. Every
 * worker runs every schedule, and each tick is enqueued with the idempotency key
 * `schedule:<name>:<tick>`, so however many workers run, a tick yields one job.
 *
 * @throws TRUSS_ERR_JOBS_INVALID_SCHEDULE for a pattern croner refuses or `every < 1000`.
 * @throws TRUSS_ERR_JOBS_DUPLICATE_SCHEDULE when the name is taken.
 * @example
 * ```ts
 * import { defineJob, defineSchedule } from "truss/jobs"
 * import { z } from "zod"
 * const report = defineJob("reports.nightly", { schema: z.object({}), handler: async () => {} })
 * defineSchedule("0 3 * * *", report, { timezone: "Europe/Paris", missed: "runOnce" })
 * defineSchedule({ every: 60_000 }, report, { name: "reports.minutely" })
 * ```
 */
export function defineSchedule<T>(
  when: string | { every: number },
  job: Job<T>,
  options: ScheduleOptions<T> = {},
): Schedule {
  const label = typeof when === "string" ? when : `every:${when.every}`
  const name = options.name ?? `${job.name}@${label}`
  if (state.schedules.has(name)) throw jobsErrors.DUPLICATE_SCHEDULE({ name })
  const { data = {} } = options
  const schedule: Schedule = {
    name,
    job: job as unknown as Job<unknown>,
    missed: options.missed ?? "skip",
    ...ticker(name, when, options.timezone),
    data: (tick) => (typeof data === "function" ? (data as (t: Date) => T)(new Date(tick)) : data),
  }
  state.schedules.set(name, schedule)
  return schedule
}
