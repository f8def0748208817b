import { spawn } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { stripVTControlCharacters } from "node:util"
import { afterAll, beforeAll, expect, test } from "vitest"
import { z } from "zod"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"
import {
  type DatabaseBackend,
  defineJob,
  jobsModels,
  startWorker,
  useJobs,
} from "../../src/jobs/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"

const JOBS = JSON.stringify(resolve("src/jobs/index.ts"))
const ORM = JSON.stringify(resolve("src/orm/index.ts"))
const ZOD = JSON.stringify(createRequire(import.meta.url).resolve("zod"))
const fine = defineJob("cli.fine", { schema: z.object({ n: z.number() }), handler: () => {} })
const bad = defineJob("cli.bad", {
  schema: z.object({}),
  retries: 0,
  handler: () => {
    throw new Error("boom")
  },
})

let dir: string
let db: Database
let backend: DatabaseBackend
const out: string[] = []
const err: string[] = []
async function run(...argv: string[]): Promise<number> {
  out.length = 0
  err.length = 0
  const ctx: CliContext = {
    cwd: dir,
    out: (l) => out.push(stripVTControlCharacters(l)),
    err: (l) => err.push(stripVTControlCharacters(l)),
    importer: (u) => import(u),
    interactive: false,
  }
  return runCli(argv, ctx)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "truss-jobs-cli-"))
  const url = `sqlite:${join(dir, "app.db")}`
  await writeFile(
    join(dir, "truss.config.ts"),
    `import { jobsModels } from ${JOBS}
import { defineConfig } from ${ORM}
export default defineConfig({ database: ${JSON.stringify(url)}, models: [...jobsModels] })
`,
  )
  db = await connect(url)
  await createTables(db, jobsModels)
  backend = useJobs(db)
})
afterAll(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

test("truss jobs stats, list, retry and purge act on the stored jobs", async () => {
  const done = await fine.enqueue({ n: 1 })
  const dead = await bad.enqueue({})
  const worker = startWorker({ backend, pollMs: 10 })
  while ((await backend.list("queued")).length > 0) await new Promise((r) => setTimeout(r, 10))
  await worker.stop()
  const later = await fine.enqueue({ n: 2 }, { delay: 3_600_000 })

  expect([await run("jobs", "stats"), out]).toEqual([
    0,
    ["default: queued 1, running 0, done 1, dead 1, cancelled 0"],
  ])
  expect([await run("jobs", "list", "--state", "dead"), out]).toEqual([
    0,
    [`${dead}  dead  cli.bad  default  attempts 1/1  boom`],
  ])
  expect([await run("jobs", "list"), out.sort()]).toEqual([
    0,
    [
      `${dead}  dead  cli.bad  default  attempts 1/1  boom`,
      `${done}  done  cli.fine  default  attempts 1/4`,
      `${later}  queued  cli.fine  default  attempts 0/4`,
    ].sort(),
  ])
  expect([await run("jobs", "retry", dead), out]).toEqual([0, [`Queued ${dead} again.`]])
  expect((await backend.get(dead))?.state).toBe("queued")
  expect([await run("jobs", "retry", done), err]).toEqual([
    1,
    [
      `TRUSS_ERR_JOBS_JOB_NOT_FOUND No dead or cancelled job has id "${done}". List them with \`truss jobs list --state dead or cancelled\`.`,
    ],
  ])
  expect([await run("jobs", "purge", "--state", "done", "--older-than", "1h"), out]).toEqual([
    0,
    ["Deleted 0 done jobs."],
  ])
  expect([await run("jobs", "purge", "--state", "done"), out]).toEqual([0, ["Deleted 1 done job."]])
  expect([await run("jobs", "list", "--state", "done"), out]).toEqual([0, ["No jobs."]])
  expect(await run("jobs", "list", "--state", "nope")).toBe(1)
  expect(err).toEqual([
    "error: option '--state <state>' argument 'nope' is invalid. Allowed choices are queued, running, done, dead, cancelled.",
  ])
  expect(await run("jobs", "purge", "--state", "done", "--older-than", "soon")).toBe(1)
})

test("truss worker runs the jobs of the modules it is given until SIGTERM", async () => {
  await backend.purge("queued")
  await backend.purge("dead")
  const log = join(dir, "ran.txt")
  await writeFile(
    join(dir, "jobs.ts"),
    `import { appendFileSync } from "node:fs"
import { z } from ${ZOD}
import { defineJob } from ${JOBS}
defineJob("cli.fine", {
  schema: z.object({ n: z.number() }),
  handler: ({ n }) => appendFileSync(${JSON.stringify(log)}, n + "\\n"),
})
`,
  )
  const ids = await fine.enqueueMany([{ n: 1 }, { n: 2 }, { n: 3 }])
  const child = spawn(
    process.execPath,
    [
      resolve("node_modules/tsx/dist/cli.mjs"),
      resolve("src/cli/bin.ts"),
      "worker",
      "jobs.ts",
      "--poll-ms",
      "20",
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "inherit"] },
  )
  let stdout = ""
  child.stdout.on("data", (b) => {
    stdout += String(b)
  })
  let gone = false
  const exited = new Promise<number | null>((r) =>
    child.once("exit", (code) => {
      gone = true
      r(code)
    }),
  )
  while (!gone && (await backend.list("done")).length < 3)
    await new Promise((r) => setTimeout(r, 20))
  child.kill("SIGTERM")
  const code = await exited
  const lines = stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const done = lines.filter((l) => l.msg === "job done").map((l) => l.jobId)
  expect([code, done.sort(), (await readFile(log, "utf8")).split("\n").sort()]).toEqual([
    0,
    [...ids].sort(),
    ["", "1", "2", "3"],
  ])
  expect(lines.map((l) => l.msg).filter((m) => m !== "job done")).toEqual([
    "worker started",
    "worker stopping",
    "worker stopped",
  ])
}, 30_000)
