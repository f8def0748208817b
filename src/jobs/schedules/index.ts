/**
 * Schedules: cron patterns (croner) and intervals that enqueue a job per tick.
 * @module
 */
export {
  definedSchedules,
  defineSchedule,
  type MissedTicks,
  type Schedule,
  type ScheduleOptions,
} from "./define.js"
export { runSchedules, tickKey } from "./scheduler.js"
