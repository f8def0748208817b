import { execFileSync, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const TSX = `${ROOT}node_modules/tsx/dist/esm/index.mjs`

/** The machine's own `node` (v20 here), not the node@24 npm puts in node_modules/.bin. */
function systemNode(): string | undefined {
  for (const path of ["/usr/bin/node", "/usr/local/bin/node", "/bin/node"]) {
    if (!existsSync(path)) continue
    const major = Number(
      execFileSync(path, ["-p", "process.versions.node.split('.')[0]"]).toString(),
    )
    if (major < 22) return path
  }
  return undefined
}

const OLD_NODE = systemNode()

const MESSAGE =
  /^TRUSS_ERR_NODE_VERSION: Truss needs Node\.js >= 22; this is Node\.js 20\.[\d.]+\. Run `npm install` in your project \(it puts node@24 in node_modules\/\.bin, used by npm scripts and npx\) or `nvm install 24`\.$/

describe.skipIf(OLD_NODE === undefined)("on a Node.js older than 22", () => {
  it("the truss CLI prints a coded message naming the version and exits 1", () => {
    const run = spawnSync(
      OLD_NODE as string,
      ["--import", TSX, `${ROOT}src/cli/bin.ts`, "--help"],
      {
        cwd: "/tmp",
        encoding: "utf8",
      },
    )
    expect(run.status).toBe(1)
    expect(run.stdout).toBe("")
    expect(run.stderr.trim()).toMatch(MESSAGE)
  })

  it("the first import of truss throws the same coded error", () => {
    const script = `import(${JSON.stringify(`${ROOT}src/index.ts`)}).then(() => console.log("loaded"), (e) => console.log(e.code + " | " + e.message))`
    const run = spawnSync(OLD_NODE as string, ["--import", TSX, "-e", script], {
      cwd: "/tmp",
      encoding: "utf8",
    })
    const [code, message] = run.stdout.trim().split(" | ")
    expect(code).toBe("TRUSS_ERR_NODE_VERSION")
    expect(`TRUSS_ERR_NODE_VERSION: ${message}`).toMatch(MESSAGE)
  })
})
