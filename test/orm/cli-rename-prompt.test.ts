import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { stripVTControlCharacters } from "node:util"
import { beforeAll, describe, expect, it } from "vitest"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"

const ORM = JSON.stringify(resolve("src/orm/index.ts"))
let loads = 0

function config(dir: string, fields: string): string {
  return `import { defineConfig, field, model } from ${ORM}
export const Note = model("note", { ${fields} })
export default defineConfig({ database: ${JSON.stringify(`sqlite:${join(dir, "app.db")}`)}, models: [Note] })
`
}

describe("truss makemigrations in a terminal: the rename question", () => {
  let dir: string
  const asked: string[] = []
  let out: string[] = []
  const run = (answers: Record<string, boolean | undefined>, ...argv: string[]) => {
    out = []
    const ctx: CliContext = {
      cwd: dir,
      out: (l) => out.push(stripVTControlCharacters(l)),
      err: (l) => out.push(stripVTControlCharacters(l)),
      importer: (u) => import(`${u}?t=${Date.now()}${++loads}`),
      interactive: true,
      confirm: async (message) => {
        asked.push(message)
        return answers[message]
      },
    }
    return runCli(argv, ctx)
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-rename-prompt-"))
    await writeFile(
      join(dir, "truss.config.ts"),
      config(dir, "a: field.text(), b: field.integer()"),
    )
    expect(await run({}, "makemigrations")).toBe(0)
    await writeFile(
      join(dir, "truss.config.ts"),
      config(dir, "x: field.text(), y: field.integer()"),
    )
  })

  it("asks per pair: yes renames that pair, no drops and adds only that one", async () => {
    const answers = {
      "Did you rename note.a to x?": true,
      "Did you rename note.b to y?": false,
    }
    expect(await run(answers, "makemigrations", "--name", "xy")).toBe(0)
    expect(asked).toEqual(["Did you rename note.a to x?", "Did you rename note.b to y?"])
    expect(out).toEqual([
      `Created ${join(dir, "migrations", "0002_xy.ts")}`,
      "  - renameColumn note",
      "  - addColumn note y",
      "  - dropColumn note b",
    ])
    const file = await readFile(join(dir, "migrations", "0002_xy.ts"), "utf8")
    expect(file.slice(file.indexOf("  operations"), file.indexOf("} satisfies"))).toBe(
      `  operations: [
    { op: "renameColumn", table: "note", from: "a", to: "x" },
    { op: "addColumn", table: "note", column: { name: "y", kind: "integer" } },
    { op: "dropColumn", table: "note", column: "b" },
  ],
`,
    )
  })

  it("writes nothing when the question is cancelled", async () => {
    await writeFile(
      join(dir, "truss.config.ts"),
      config(dir, "x: field.text(), z: field.integer()"),
    )
    asked.length = 0
    expect(await run({}, "makemigrations")).toBe(1)
    expect(asked).toEqual(["Did you rename note.y to z?"])
    expect(out).toEqual([
      'TRUSS_ERR_ORM_MIGRATION_AMBIGUOUS_RENAME On note, "y" was removed and "z" added with the same type. Pass --rename note.y=z to rename, or --no-rename to drop and add.',
    ])
  })
})
