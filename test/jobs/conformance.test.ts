import { describe } from "vitest"
import { bullmqBackend, DatabaseBackend, jobsModels } from "../../src/jobs/index.js"
import { createTables } from "../../src/orm/index.js"
import { conformanceTargets } from "../support/conformance.js"
import { jobsConformance } from "../support/jobs-conformance.js"

// One suite, every backend: SQLite, PostgreSQL (plain and pipelined), MariaDB (with and
// without RETURNING) and BullMQ on Redis, each test on an empty backend.
const targets = await conformanceTargets()

for (const { name, db } of targets.databases) {
  describe(`jobs conformance: ${name}`, () => {
    jobsConformance(async () => {
      await db.run("DROP TABLE IF EXISTS truss_jobs", [])
      await db.run("DROP TABLE IF EXISTS truss_job_schedules", [])
      await createTables(db, jobsModels)
      return { backend: new DatabaseBackend(db), db, close: async () => {} }
    })
  })
}

const redis = targets.redis
let run = 0
describe.skipIf(redis === undefined)("jobs conformance: bullmq", () => {
  jobsConformance(async () => {
    const prefix = `${targets.prefix("jobs")}${++run}`
    const backend = await bullmqBackend({ connection: redis as NonNullable<typeof redis>, prefix })
    return {
      backend,
      async close() {
        await backend.close()
        const keys = await redis?.keys(`${prefix}:*`)
        if (keys && keys.length > 0) await redis?.del(...keys)
      },
    }
  })
})
