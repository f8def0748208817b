import { execFileSync } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

// Root reads every file, so the check runs the app as `nobody` (setpriv, util-linux).
const canDrop = process.getuid?.() === 0 && existsSync("/usr/bin/setpriv")

describe.skipIf(!canDrop)("c.file() on a file the server may not read", () => {
  it("answers 500 before any header is sent (not a response cut after its headers)", () => {
    const dir = mkdtempSync(join(tmpdir(), "truss-eacces-"))
    chmodSync(dir, 0o755)
    const file = join(dir, "secret.txt")
    writeFileSync(file, "secret")
    chmodSync(file, 0o600)
    const script = `
      import { App } from ${JSON.stringify(join(process.cwd(), "src/index.ts"))}
      const app = new App({ logger: false })
      app.get("/f", (c) => c.file(${JSON.stringify(file)}))
      const res = await app.request("/f")
      const body = await res.json()
      console.log(JSON.stringify([res.status, body.code]))`
    const out = execFileSync(
      "/usr/bin/setpriv",
      [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        process.execPath,
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        script,
      ],
      {
        encoding: "utf8",
        env: { ...process.env, TSX_TSCONFIG_PATH: join(process.cwd(), "tsconfig.json") },
      },
    )
    expect(JSON.parse(out.trim().split("\n").at(-1) ?? "")).toEqual([500, "TRUSS_ERR_INTERNAL"])
  })
})
