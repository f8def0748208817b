import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"
import { MIGRATE_BAR_FROM, migrationsToRun } from "../../src/orm/commands/migrate.js"
import { BIN, project, TSX, truss } from "../cli/support.js"

const CONFIG = `export default { database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: [] }\n`

/** `count` migrations, each creating table t<i>, in a fresh project folder. */
function withMigrations(count: number) {
  const files: Record<string, string> = { "truss.config.ts": CONFIG }
  for (let i = 1; i <= count; i++) {
    const name = `${String(i).padStart(4, "0")}_t${i}`
    const deps = i === 1 ? [] : [`${String(i - 1).padStart(4, "0")}_t${i - 1}`]
    files[`migrations/${name}.ts`] = `export default ${JSON.stringify({
      dependencies: deps,
      operations: [
        {
          op: "createTable",
          table: `t${i}`,
          columns: [{ name: "id", kind: "id", primaryKey: true }],
        },
      ],
    })}\n`
  }
  return project(files)
}

const bar = (done: number, total: number) => {
  const full = Math.round((done / total) * 30)
  return `Migrating [${"#".repeat(full)}${"-".repeat(30 - full)}] ${done}/${total}`
}

describe("truss migrate: progress bar", () => {
  let remove: (() => Promise<void>) | undefined
  afterEach(() => remove?.())

  it("counts the migrations a target runs: pending up to it, applied after it", () => {
    const status = [
      { name: "0001_a", applied: true },
      { name: "0002_b", applied: true },
      { name: "0003_c", applied: false },
      { name: "0004_d", applied: false },
    ]
    expect(migrationsToRun(status)).toBe(2)
    expect(migrationsToRun(status, "0003_c")).toBe(1)
    expect(migrationsToRun(status, "0001_a")).toBe(1)
    expect(migrationsToRun(status, "zero")).toBe(2)
    expect(migrationsToRun(status, "0009_missing")).toBe(0)
    expect(MIGRATE_BAR_FROM).toBe(4)
  })

  it("prints the migrator's lines and no bar when stdout is a pipe", async () => {
    const p = await withMigrations(5)
    remove = p.remove
    const { code, stdout, stderr } = await truss(p.dir, ["migrate"])
    expect([code, stderr]).toEqual([0, ""])
    expect(stdout).not.toContain("\r")
    const lines = stdout.split("\n")
    expect(lines.filter((l) => l.startsWith("Applied "))).toEqual(
      [1, 2, 3, 4, 5].map((i) => `Applied 000${i}_t${i}.`),
    )
    expect(lines.at(-2)).toBe("Done: 5 migrations.")
  }, 30_000)

  it("draws one frame per migration, forward and back, when TRUSS_PROGRESS=1 forces it", async () => {
    const p = await withMigrations(5)
    remove = p.remove
    const up = await truss(p.dir, ["migrate"], { TRUSS_PROGRESS: "1" })
    expect(up.code).toBe(0)
    const [frames, ...rest] = up.stdout.split("\n")
    expect(frames!.split("\r").filter(Boolean)).toEqual([0, 1, 2, 3, 4, 5].map((n) => bar(n, 5)))
    expect(rest).toEqual(["Done: 5 migrations.", ""])

    const down = await truss(p.dir, ["migrate", "--rollback", "4"], { TRUSS_PROGRESS: "1" })
    expect(down.stdout.split("\n")[0]!.split("\r").filter(Boolean).at(-1)).toBe(bar(4, 4))
    expect(down.stdout.split("\n")[1]).toBe("Done: 4 migrations.")
  }, 30_000)

  it(`draws no bar below ${MIGRATE_BAR_FROM} migrations, even when forced`, async () => {
    const p = await withMigrations(3)
    remove = p.remove
    const { code, stdout } = await truss(p.dir, ["migrate"], { TRUSS_PROGRESS: "1" })
    expect(code).toBe(0)
    expect(stdout).not.toContain("\r")
    expect(stdout.split("\n").at(-2)).toBe("Done: 3 migrations.")
    expect(stdout).toContain("Applied 0003_t3.\n")
  }, 30_000)

  it("draws it on a real terminal (a pty from script(1))", async () => {
    const p = await withMigrations(6)
    remove = p.remove
    const { stdout } = await promisify(execFile)(
      "script",
      ["-qec", `${TSX} ${BIN} migrate`, "/dev/null"],
      {
        cwd: p.dir,
        env: { ...process.env, NO_COLOR: "1" },
      },
    )
    expect(stdout).toContain(`\r${bar(6, 6)}\r\n`)
    expect(stdout).toContain("Done: 6 migrations.")
    expect(stdout).not.toContain("Applying")
  }, 30_000)
})
