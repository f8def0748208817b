import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { BATTERY_COMMANDS } from "../../src/cli/batteries.js"
import { createProgram } from "../../src/cli/program.js"

describe("docs/cli.md", () => {
  it("documents every top-level command the CLI registers", async () => {
    const loaded = await Promise.all(BATTERY_COMMANDS.map((b) => b.load()))
    const ctx = {
      cwd: ".",
      out() {},
      err() {},
      importer: (u: string) => import(u),
      interactive: false,
    }
    const names = createProgram(
      ctx,
      loaded.flatMap((m) => m.commands),
    ).commands.map((c) => c.name())
    expect(names.sort()).toEqual(BATTERY_COMMANDS.flatMap((b) => b.names).sort())
    const docs = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8")
    expect(names.filter((n) => !docs.includes(`\`truss ${n}`))).toEqual([])
  })
})
