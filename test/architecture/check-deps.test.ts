import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { batteryOf, cycles, edgesOf, violation } from "../../scripts/check-deps.js"

const SRC = join(import.meta.dirname, "../../src")

/** The broken rules of one source text placed at `path` (relative to src/). */
function check(path: string, text: string): (string | undefined)[] {
  return edgesOf(join(SRC, path), text).map(violation)
}

describe("scripts/check-deps.ts", () => {
  it("tells the core from the batteries by folder", () => {
    expect(batteryOf("context.ts")).toBe(undefined)
    expect(batteryOf("server/listen.ts")).toBe(undefined)
    expect(batteryOf("sessions/context.ts")).toBe("sessions")
    expect(batteryOf("orm/dialects/sqlite/dialect.ts")).toBe("orm")
  })

  it("refuses a core file that imports a battery, even for types, and one that imports ws", () => {
    expect(check("context.ts", `import type { Session } from "./sessions/index.js"`)).toEqual([
      "the core imports the sessions battery (sessions/index.ts)",
    ])
    expect(check("server/listen.ts", `import { WebSocketServer } from "ws"`)).toEqual([
      'the core imports "ws"; only a battery may',
    ])
    expect(check("server/listen.ts", `import { createServer } from "node:http"`)).toEqual([
      undefined,
    ])
  })

  it("lets a battery reach the core only through kit.ts (or the public truss entry)", () => {
    expect(
      check(
        "cache/store.ts",
        `import { defineError } from "../kit.js"\nimport { DONE } from "../compose.js"\nimport type { App } from "truss"`,
      ),
    ).toEqual([undefined, "cache imports the core's compose.ts; use src/kit.ts", undefined])
  })

  it("lets a battery reach another only through its index.ts, and declare modules count", () => {
    expect(
      check(
        "auth/login.ts",
        `import { connect } from "../orm/index.js"\nimport { Meta } from "../orm/meta.js"\ndeclare module "../sessions/session.js" {}`,
      ),
    ).toEqual([
      undefined,
      "auth imports orm/meta.ts; import the orm battery through orm/index.ts",
      "auth imports sessions/session.ts; import the sessions battery through sessions/index.ts",
    ])
  })

  it("lets only cli/batteries.ts load a battery's commands module, lazily", () => {
    const lazy = `export const b = [() => import("../jobs/commands.js"), () => import("../orm/commands/index.js")]`
    expect(check("cli/batteries.ts", lazy)).toEqual([undefined, undefined])
    expect(check("cli/program.ts", `import { commands } from "../jobs/commands.js"`)).toEqual([
      "cli imports jobs/commands.ts; import the jobs battery through jobs/index.ts",
    ])
  })

  it("finds runtime import cycles and ignores type-only and dynamic ones", () => {
    const edges = [
      ...edgesOf(join(SRC, "a.ts"), `import { b } from "./b.js"`),
      ...edgesOf(join(SRC, "b.ts"), `import { c } from "./c.js"\nimport type { A } from "./a.js"`),
      ...edgesOf(join(SRC, "c.ts"), `import { b } from "./b.js"\nconst a = () => import("./a.js")`),
    ]
    expect(cycles(edges)).toEqual([["b.ts", "c.ts", "b.ts"]])
  })
})
