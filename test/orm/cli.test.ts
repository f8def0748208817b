import { execFile } from "node:child_process"
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"

const ORM = resolve("src/orm/index.ts")

function modelsSource(withViews: boolean): string {
  return `import { defineConfig, field, model } from ${JSON.stringify(ORM)}
export const Note = model("note", {
  body: field.text(),${withViews ? "\n  views: field.integer({ default: 0 })," : ""}
})
export default defineConfig({ database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: [Note] })
`
}

describe("truss CLI (SQLite file)", () => {
  let dir: string
  let out: string[]
  let err: string[]
  const ctx = (): CliContext => ({
    cwd: dir,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    importer: (url) => import(`${url}?t=${Date.now()}`),
    interactive: false,
  })
  const run = async (...argv: string[]) => {
    out = []
    err = []
    return runCli(argv, ctx())
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-cli-"))
    await writeFile(join(dir, "truss.config.ts"), modelsSource(false))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("makemigrations writes 0001_initial and lists its operations", async () => {
    expect(await run("makemigrations")).toBe(0)
    expect(out.map(strip)).toEqual([
      `Created ${join(dir, "migrations", "0001_initial.ts")}`,
      "  - createTable note",
    ])
    expect(await readdir(join(dir, "migrations"))).toEqual(["0001_initial.ts"])
  })

  it("showmigrations, sqlmigrate and migrate print progress and SQL", async () => {
    expect(await run("showmigrations")).toBe(0)
    expect(out).toEqual(["[ ] 0001_initial"])
    expect(await run("sqlmigrate", "0001_initial")).toBe(0)
    expect(out).toEqual([
      'CREATE TABLE "note" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "body" TEXT NOT NULL);',
    ])
    expect(await run("migrate")).toBe(0)
    expect(out.map(strip)).toEqual([
      "Applying 0001_initial…",
      '  CREATE TABLE "note" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "body" TEXT NOT NULL)',
      "Applied 0001_initial.",
      "Done: 1 migration.",
    ])
    expect(await run("showmigrations")).toBe(0)
    expect(out).toEqual(["[X] 0001_initial"])
  })

  it("makemigrations --check fails while models have unrecorded changes", async () => {
    expect(await run("makemigrations", "--check")).toBe(0)
    expect(out).toEqual(["No changes detected."])
    await writeFile(join(dir, "truss.config.ts"), modelsSource(true))
    await writeFile(join(dir, "v2.config.ts"), modelsSource(true))
    expect(await run("makemigrations", "--check", "--config", "v2.config.ts")).toBe(1)
    expect(err.map(strip)).toEqual([
      "TRUSS_ERR_ORM_MIGRATIONS_OUT_OF_DATE The models have changes that no migration records: addColumn note views. Run truss makemigrations and commit the new file.",
    ])
    expect(await run("makemigrations", "--config", "v2.config.ts")).toBe(0)
    expect(await run("migrate", "--config", "v2.config.ts")).toBe(0)
    expect(await run("migrate", "--rollback", "--config", "v2.config.ts")).toBe(0)
    expect(out.map(strip)).toEqual(
      [
        "Unapplying 0002_note_views…",
        '  CREATE TABLE "truss_new_note" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "body" TEXT NOT NULL)',
        'INSERT INTO "truss_new_note" ("id", "body") SELECT "id", "body" FROM "note"',
        'DROP TABLE "note"',
        'ALTER TABLE "truss_new_note" RENAME TO "note"',
        "Unapplied 0002_note_views.",
        "Done: 1 migration.",
      ].map((l, i) => (i >= 2 && i <= 4 ? `  ${l}` : l)),
    )
  })

  it("reports a missing config with a coded error", async () => {
    expect(await run("showmigrations", "--config", "nope.ts")).toBe(1)
    expect(err.map(strip)).toEqual([
      `TRUSS_ERR_ORM_CONFIG_NOT_FOUND No Truss config at ${join(dir, "nope.ts")}. Create truss.config.ts exporting defineConfig({ database, models, migrations }), or pass --config.`,
    ])
  })

  it("runs as the truss bin", async () => {
    const tsx = resolve("node_modules/tsx/dist/cli.mjs")
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [tsx, resolve("src/cli/bin.ts"), "showmigrations"],
      { cwd: dir },
    )
    expect(stdout).toBe("[X] 0001_initial\n[ ] 0002_note_views\n")
  })
})

function strip(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing ANSI colour codes
  return s.replace(/\u001b\[\d+m/g, "")
}
