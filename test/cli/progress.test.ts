import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { renderBar } from "../../src/cli/progress/index.js"
import { BIN, cli, project, SRC, TSX, truss, write } from "./support.js"

const CONFIG = `import { defineConfig, field, model } from ${SRC.orm}
export const Note = model("pg_note", { body: field.text() })
export default defineConfig({ database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: [Note] })
`
const FIXTURE = `${[1, 2, 3, 4, 5, 6, 7].map((pk) => JSON.stringify({ model: "pg_note", pk, fields: { body: `note ${pk}` } })).join("\n")}\n`

describe("progress bars", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({ "truss.config.ts": CONFIG, "notes.jsonl": FIXTURE })
    expect((await cli(p.dir, ["makemigrations"])).code).toBe(0)
    expect((await cli(p.dir, ["migrate"])).code).toBe(0)
  }, 30_000)
  afterAll(() => p.remove())

  it("renders label, a 30-cell bar and done/total", () => {
    expect(renderBar("Installing", 0, 7)).toBe(`Installing [${"-".repeat(30)}] 0/7`)
    expect(renderBar("Installing", 7, 7)).toBe(`Installing [${"#".repeat(30)}] 7/7`)
    expect(renderBar("Backing up", 50, 100)).toBe(
      `Backing up [${"#".repeat(15)}${"-".repeat(15)}] 50/100`,
    )
  })

  it("draws nothing when stdout is a pipe", async () => {
    await (await import("node:fs/promises")).rm(join(p.dir, "snap.db"), { force: true })
    const load = await truss(p.dir, ["loaddata", "notes.jsonl"])
    expect(load).toEqual({
      code: 0,
      stdout: "Installed 7 rows (pg_note 7) from 1 file.\n",
      stderr: "",
    })
    const backup = await truss(p.dir, ["backup", "snap.db"])
    expect(backup.code).toBe(0)
    expect(backup.stdout).not.toContain("\r")
    expect(backup.stdout).toMatch(/^Backed up the sqlite database to snap\.db \(\d+\.\d KiB\)\.\n$/)
  }, 30_000)

  it("draws the bar with the right total when TRUSS_PROGRESS=1 forces it", async () => {
    await write(
      p.dir,
      "again.jsonl",
      FIXTURE.replaceAll('"pk":', '"pk":1').replaceAll("note ", "again "),
    )
    const load = await truss(p.dir, ["loaddata", "again.jsonl"], { TRUSS_PROGRESS: "1" })
    expect(load.code).toBe(0)
    const frames = load.stdout.split("\n")[0]!.split("\r").filter(Boolean)
    expect(frames[0]).toBe(`Installing [${"-".repeat(30)}] 0/7`)
    expect(frames.at(-1)).toBe(`Installing [${"#".repeat(30)}] 7/7`)
    expect(frames.length).toBe(8)
    expect(load.stdout.split("\n")[1]).toBe("Installed 7 rows (pg_note 7) from 1 file.")
    const backup = await truss(p.dir, ["backup", "snap2.db"], { TRUSS_PROGRESS: "1" })
    expect(backup.stdout.split("\n")[0]!.split("\r").filter(Boolean).at(-1)).toBe(
      `Backing up [${"#".repeat(30)}] 100/100`,
    )
  }, 30_000)

  it("draws it on a real terminal (a pty from script(1))", async () => {
    const cmd = `${TSX} ${BIN} restore snap.db`
    const { stdout } = await promisify(execFile)("script", ["-qec", cmd, "/dev/null"], {
      cwd: p.dir,
      env: { ...process.env, NO_COLOR: "1" },
    })
    expect(stdout).toContain(`\rRestoring [${"#".repeat(30)}] 100/100\r\n`)
    expect(stdout).toContain("Restored the sqlite database from snap.db.")
  }, 30_000)
})
