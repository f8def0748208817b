import { Redis } from "ioredis"
import { z } from "zod"
import {
  bullmqBackend,
  DatabaseBackend,
  defineJob,
  type JobBackend,
  jobsModels,
  startWorker,
  useJobs,
  type Worker,
} from "../../src/jobs/index.js"
import { connect, createTables } from "../../src/orm/index.js"
import type { Contender } from "./harness.js"

let onJob: () => void = () => {}
const noop = defineJob("bench.noop", {
  schema: z.object({}),
  retries: 0,
  handler: () => {
    onJob()
  },
})

// Claims of up to 100 jobs (10 running, 90 held), as pg-boss's batches of 100.
const prefetch = 90

function contender(name: string, backend: JobBackend, close: () => Promise<void>): Contender {
  let worker: Worker | undefined
  return {
    name,
    async enqueue(n) {
      useJobs(backend)
      for (let i = 0; i < n; i += 1000)
        await noop.enqueueMany(Array.from({ length: Math.min(1000, n - i) }, () => ({})))
    },
    async start(concurrency, f) {
      useJobs(backend)
      onJob = f
      worker = startWorker({ backend, concurrency, prefetch, pollMs: 1000, schedules: false })
      await worker.ready
    },
    async enqueueOne() {
      await noop.enqueue({})
    },
    async stop() {
      await worker?.stop()
      await close()
    },
  }
}

/** Truss on a database URL: a fresh `truss_jobs` table for every run. */
export async function trussDatabase(name: string, url: string): Promise<Contender> {
  const db = await connect(url)
  await db.run("DROP TABLE IF EXISTS truss_jobs", [])
  await db.run("DROP TABLE IF EXISTS truss_job_schedules", [])
  await createTables(db, jobsModels)
  const c = contender(name, new DatabaseBackend(db), async () => {})
  return {
    ...c,
    stop: async () => {
      await c.stop()
      await db.close()
    },
  }
}

/** Truss's BullMQ backend under its own key prefix. */
export async function trussBullmq(url: string, prefix: string): Promise<Contender> {
  const redis = new Redis(url, { maxRetriesPerRequest: null })
  const backend = await bullmqBackend({ connection: redis, prefix })
  return contender("Truss BullMQ adapter", backend, async () => {
    await backend.close()
    await redis.quit()
  })
}
