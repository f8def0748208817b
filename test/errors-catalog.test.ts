import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { errorCodes } from "../src/errors.js"

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  exports: Record<string, unknown>
}

/** Every public entry, from package.json `exports`: "." → src/index.ts, "./x" → src/x/index.ts. */
const entries = Object.keys(pkg.exports).map((key) =>
  key === "." ? "../src/index.ts" : `../src/${key.slice(2)}/index.ts`,
)

describe("docs/errors.md", () => {
  it("lists exactly the codes defined by every public entry", async () => {
    for (const entry of entries) await import(/* @vite-ignore */ entry)
    const docs = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8")
    const documented = [...docs.matchAll(/^\| `(TRUSS_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1])
    expect(documented.length).toBeGreaterThan(0)
    expect([...new Set(documented)].sort()).toEqual(errorCodes())
    expect(documented.length).toBe(new Set(documented).size)
  })

  it("gives each documented code the status the code uses", async () => {
    for (const entry of entries) await import(/* @vite-ignore */ entry)
    const docs = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8")
    const { errors } = await import("../src/errors.js")
    for (const factory of Object.values(errors)) {
      const row = new RegExp(`^\\| \`${factory.code}\` \\| (\\d+) \\|`, "m").exec(docs)
      expect(row?.[1], factory.code).toBe(String(factory.status))
    }
  })
})
