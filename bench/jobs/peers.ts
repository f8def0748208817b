import { Queue, Worker } from "bullmq"
import { Logger, makeWorkerUtils, type Runner, run } from "graphile-worker"
import { Redis } from "ioredis"
import PgBoss from "pg-boss"
import type { Contender } from "./harness.js"

/**
 * pg-boss 10 in its own schema: `concurrency` work() pollers, each running the jobs of
 * a fetch one after another. pg-boss waits its polling interval (0.5 s at least) after
 * every fetch, so batches of 100 are what lets it keep up; one job per fetch runs at
 * 20 jobs/s.
 */
export async function pgBoss(url: string, schema: string): Promise<Contender> {
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false })
  boss.on("error", () => {})
  await boss.start()
  await boss.createQueue("noop")
  return {
    name: "pg-boss",
    async enqueue(n) {
      for (let i = 0; i < n; i += 1000)
        await boss.insert(
          Array.from({ length: Math.min(1000, n - i) }, () => ({ name: "noop", data: {} })),
        )
    },
    async start(concurrency, onJob) {
      for (let i = 0; i < concurrency; i++)
        await boss.work("noop", { pollingIntervalSeconds: 0.5, batchSize: 100 }, async (jobs) => {
          for (const _ of jobs) onJob()
        })
    },
    async enqueueOne() {
      await boss.send("noop", {})
    },
    async stop() {
      await boss.offWork("noop")
      await boss.stop({ graceful: true, wait: true })
    },
  }
}

// graphile-worker logs every completed job to the console unless given a silent logger.
const silent = new Logger(() => () => {})

/** graphile-worker in its own schema (LISTEN/NOTIFY wake-ups), logging nothing. */
export async function graphileWorker(url: string, schema: string): Promise<Contender> {
  const utils = await makeWorkerUtils({ connectionString: url, schema, logger: silent })
  await utils.migrate()
  let runner: Runner | undefined
  return {
    name: "graphile-worker",
    async enqueue(n) {
      for (let i = 0; i < n; i += 1000)
        await utils.addJobs(
          Array.from({ length: Math.min(1000, n - i) }, () => ({
            identifier: "noop",
            payload: {},
          })),
        )
    },
    async start(concurrency, onJob) {
      runner = await run({
        connectionString: url,
        schema,
        concurrency,
        noHandleSignals: true,
        pollInterval: 1000,
        logger: silent,
        taskList: {
          noop: async () => {
            onJob()
          },
        },
      })
    },
    async enqueueOne() {
      await utils.addJob("noop", {})
    },
    async stop() {
      await runner?.stop()
      await utils.release()
    },
  }
}

/** Plain BullMQ: addBulk, and a Worker at `concurrency`. */
export async function plainBullmq(url: string, prefix: string): Promise<Contender> {
  const connection = new Redis(url, { maxRetriesPerRequest: null })
  const queue = new Queue("noop", { connection, prefix })
  let worker: Worker | undefined
  return {
    name: "BullMQ",
    async enqueue(n) {
      for (let i = 0; i < n; i += 1000)
        await queue.addBulk(
          Array.from({ length: Math.min(1000, n - i) }, () => ({
            name: "noop",
            data: {},
            opts: { removeOnComplete: false },
          })),
        )
    },
    async start(concurrency, onJob) {
      worker = new Worker(
        "noop",
        async () => {
          onJob()
        },
        { connection, prefix, concurrency },
      )
      await worker.waitUntilReady()
    },
    async enqueueOne() {
      await queue.add("noop", {})
    },
    async stop() {
      await worker?.close()
      await queue.close()
      await connection.quit()
    },
  }
}
