import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { cliErrors } from "../../src/cli/errors.js"

describe("docs/errors.md, truss CLI section", () => {
  it("lists exactly the codes of src/cli/errors.ts", () => {
    const docs = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8")
    const section = docs.slice(docs.indexOf("## truss CLI"))
    const listed = [...section.matchAll(/^- `(TRUSS_ERR_CLI_[A-Z_]+)`/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(
      Object.values(cliErrors)
        .map((e) => e.code)
        .sort(),
    )
  })
})
