import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { stripVTControlCharacters } from "node:util"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { z } from "zod"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"
import { defineJob, startWorker, useJobs } from "../../src/jobs/index.js"
import { connect } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

// The jobs tables reach the app's database the way every model does: jobsModels in
// truss.config.ts, then `truss makemigrations` and `truss migrate`.
const JOBS = JSON.stringify(resolve("src/jobs/index.ts"))
const ORM = JSON.stringify(resolve("src/orm/index.ts"))
const ran: number[] = []
const job = defineJob("migrations.ping", {
  schema: z.object({ n: z.number() }),
  handler: ({ n }) => {
    ran.push(n)
  },
})

for (const target of await testDatabases()) {
  if (target.name === "postgres-pipeline" || target.name === "mysql-no-returning") continue
  describe.skipIf(!target.available)(`${target.name}: jobs tables through migrations`, () => {
    let dir: string
    let url: string
    let drop: () => Promise<void>
    const out: string[] = []
    const err: string[] = []
    const ctx = (): CliContext => ({
      cwd: dir,
      out: (l) => out.push(stripVTControlCharacters(l)),
      err: (l) => err.push(stripVTControlCharacters(l)),
      importer: (u) => import(u),
      interactive: false,
    })
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "truss-jobs-mig-"))
      if (target.name === "sqlite") {
        url = `sqlite:${join(dir, "app.db")}`
        drop = async () => {}
      } else {
        const opened = await target.open()
        await opened.db.close()
        ;({ url, drop } = opened)
      }
      await writeFile(
        join(dir, "truss.config.ts"),
        `import { jobsModels } from ${JOBS}
import { defineConfig } from ${ORM}
export default defineConfig({ database: ${JSON.stringify(url)}, models: [...jobsModels] })
`,
      )
    })
    afterAll(async () => {
      await drop().catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    })

    test("makemigrations writes both tables, migrate creates them, and jobs run on them", async () => {
      expect(await runCli(["makemigrations"], ctx())).toBe(0)
      expect(out).toEqual([
        `Created ${join(dir, "migrations", "0001_initial.ts")}`,
        "  - createTable truss_job_schedules",
        "  - addIndex truss_job_schedules",
        "  - createTable truss_jobs",
        "  - addIndex truss_jobs",
        "  - addIndex truss_jobs",
        "  - addIndex truss_jobs",
        "  - addIndex truss_jobs",
      ])
      expect(await runCli(["migrate"], ctx())).toBe(0)
      expect(out.at(-1)).toBe("Done: 1 migration.")
      out.length = 0
      expect(await runCli(["makemigrations", "--check"], ctx())).toBe(0)
      expect(out).toEqual(["No changes detected."])
      const db = await connect(url)
      const backend = useJobs(db)
      ran.length = 0
      const id = await job.enqueue({ n: 3 })
      const worker = startWorker({ backend, pollMs: 20 })
      while ((await backend.get(id))?.state !== "done") await new Promise((r) => setTimeout(r, 20))
      await worker.stop()
      await db.close()
      expect([ran, err]).toEqual([[3], []])
    })
  })
}
