import { type Command, InvalidArgumentError, Option } from "commander"
import type { CliContext } from "../../cli/index.js"
import { JOB_STATES, type JobRow, type JobState } from "../backend.js"
import { jobsErrors } from "../errors.js"
import { type BackendFlags, backendFlags, withBackend } from "./backend.js"

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

function stateOption(required: boolean): Option {
  const o = new Option("--state <state>", "only jobs in this state").choices(JOB_STATES)
  return required ? o.makeOptionMandatory() : o
}

function duration(value: string): number {
  const m = /^(\d+)([smhd])$/.exec(value)
  if (m === null) throw new InvalidArgumentError("Use a duration like 30m, 12h or 7d.")
  return Number(m[1]) * (UNITS[m[2] as string] as number)
}

function line(r: JobRow): string {
  const base = `${r.id}  ${r.state}  ${r.name}  ${r.queue}  attempts ${r.attempts}/${r.maxAttempts}`
  return r.error === null ? base : `${base}  ${r.error}`
}

/** `truss jobs list|retry|purge|stats`: look at and act on stored jobs. */
export function register(program: Command, ctx: CliContext): void {
  const jobs = program.command("jobs").description("list, retry, purge and count jobs")
  backendFlags(jobs.command("list").description("list jobs, oldest first"))
    .addOption(stateOption(false))
    .option("--limit <n>", "at most this many", "100")
    .action(async function list(o: BackendFlags & { state?: JobState; limit: string }) {
      await withBackend(ctx, o, async (b) => {
        const rows = await b.list(o.state, Number(o.limit))
        if (rows.length === 0) return ctx.out("No jobs.")
        for (const r of rows) ctx.out(line(r))
      })
    })
  backendFlags(jobs.command("retry").description("queue dead or cancelled jobs again"))
    .argument("<ids...>", "job ids")
    .action(async function retry(ids: string[], o: BackendFlags) {
      await withBackend(ctx, o, async (b) => {
        for (const id of ids) {
          if (!(await b.retry(id)))
            throw jobsErrors.JOB_NOT_FOUND({ id, state: "dead or cancelled" })
          ctx.out(`Queued ${id} again.`)
        }
      })
    })
  backendFlags(jobs.command("purge").description("delete jobs in a state"))
    .addOption(stateOption(true))
    .option("--older-than <duration>", "only jobs that ended longer ago (30m, 12h, 7d)", duration)
    .action(async function purge(o: BackendFlags & { state: JobState; olderThan?: number }) {
      const s = o.state
      const before = o.olderThan === undefined ? undefined : Date.now() - o.olderThan
      await withBackend(ctx, o, async (b) => {
        const n = await b.purge(s, before)
        ctx.out(`Deleted ${n} ${s} job${n === 1 ? "" : "s"}.`)
      })
    })
  backendFlags(jobs.command("stats").description("count jobs per queue and state")).action(
    async function stats(o: BackendFlags) {
      await withBackend(ctx, o, async (b) => {
        const all = Object.entries(await b.stats())
        if (all.length === 0) return ctx.out("No jobs.")
        for (const [queue, counts] of all)
          ctx.out(`${queue}: ${JOB_STATES.map((s) => `${s} ${counts[s]}`).join(", ")}`)
      })
    },
  )
}
