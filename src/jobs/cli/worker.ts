import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Command } from "commander"
import { pino } from "pino"
import type { CliContext } from "../../cli/index.js"
import { useJobs } from "../current.js"
import { startWorker } from "../worker.js"
import { type BackendFlags, backendFlags, withBackend } from "./backend.js"

interface Options extends BackendFlags {
  concurrency: string
  queue: string
  pollMs: string
  shutdownMs: string
  schedules: boolean
}

/** `truss worker MODULES…`: imports the job modules and runs a worker until SIGTERM/SIGINT. */
export function register(program: Command, ctx: CliContext): void {
  backendFlags(
    program
      .command("worker")
      .description("run a jobs worker until SIGTERM or SIGINT (graceful)")
      .argument(
        "<modules...>",
        "modules that define the jobs and schedules (defineJob, defineSchedule)",
      ),
  )
    .option("--concurrency <n>", "jobs run at once", "10")
    .option("--queue <name>", "queue to work", "default")
    .option("--poll-ms <ms>", "poll interval when idle", "1000")
    .option("--shutdown-ms <ms>", "how long running jobs may finish on SIGTERM", "10000")
    .option("--no-schedules", "do not enqueue schedule ticks from this worker")
    .action(async function worker(modules: string[], opts: Options) {
      await withBackend(ctx, opts, async (backend) => {
        for (const m of modules) await ctx.importer(pathToFileURL(resolve(ctx.cwd, m)).href)
        useJobs(backend)
        const logger = pino({ base: undefined }, { write: (l: string) => ctx.out(l.trimEnd()) })
        const w = startWorker({
          backend,
          logger,
          signals: true,
          schedules: opts.schedules,
          concurrency: Number(opts.concurrency),
          queue: opts.queue,
          pollMs: Number(opts.pollMs),
          shutdownMs: Number(opts.shutdownMs),
        })
        await w.ready
        logger.info({ queue: opts.queue, concurrency: Number(opts.concurrency) }, "worker started")
        await w.stopped
        logger.info({}, "worker stopped")
      })
    })
}
