import { Queue } from "bullmq"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { z } from "zod"
import { bullmqBackend, defineJob, startWorker, useJobs } from "../../src/jobs/index.js"
import { hasService, SERVICES } from "../support/services.js"

// The BullMQ backend gives jobs a BullMQ priority only on queues that use priorities:
// elsewhere jobs go to BullMQ's plain wait list (cheaper), in enqueue order.
const seen: string[] = []
const fifo = defineJob("bmq.fifo", {
  schema: z.object({ n: z.number() }),
  queue: "bmq-fifo",
  handler: ({ n }) => {
    seen.push(`fifo ${n}`)
  },
})
const plain = defineJob("bmq.plain", {
  schema: z.object({ n: z.number() }),
  queue: "bmq-ranked",
  handler: ({ n }) => {
    seen.push(`plain ${n}`)
  },
})
const urgent = defineJob("bmq.urgent", {
  schema: z.object({ n: z.number() }),
  queue: "bmq-ranked",
  priority: 3,
  handler: ({ n }) => {
    seen.push(`urgent ${n}`)
  },
})

describe.skipIf(!(await hasService("redis")))("BullMQ backend: priorities per queue", () => {
  const connection = new Redis(SERVICES.redis.url, { maxRetriesPerRequest: null })
  const prefix = `truss-test:bmq-priority:${process.pid}:${Date.now()}`
  afterAll(async () => {
    const keys = await connection.keys(`${prefix}:*`)
    if (keys.length > 0) await connection.del(...keys)
    await connection.quit()
  })

  it("adds unprioritized jobs where no job of the queue has a priority, and runs each queue in its order", async () => {
    const backend = useJobs(await bullmqBackend({ connection, prefix }))
    await fifo.enqueueMany([{ n: 1 }, { n: 2 }, { n: 3 }])
    await plain.enqueue({ n: 1 })
    await urgent.enqueue({ n: 2 })
    const queue = (name: string) => new Queue(name, { connection, prefix })
    const [fifoQ, rankedQ] = [queue("bmq-fifo"), queue("bmq-ranked")]
    expect(await fifoQ.getJobCounts("wait", "prioritized")).toEqual({ wait: 3, prioritized: 0 })
    expect(await rankedQ.getJobCounts("wait", "prioritized")).toEqual({ wait: 0, prioritized: 2 })
    for (const q of ["bmq-fifo", "bmq-ranked"]) {
      const w = startWorker({ backend, queue: q, concurrency: 1 })
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(q === "bmq-fifo" ? 3 : 5)
      await w.stop()
    }
    expect(seen).toEqual(["fifo 1", "fifo 2", "fifo 3", "urgent 2", "plain 1"])
    await Promise.all([fifoQ.close(), rankedQ.close(), backend.close()])
  })
})
