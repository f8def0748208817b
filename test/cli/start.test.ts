import { createServer, type Server } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, project, SRC, spawnTruss, truss } from "./support.js"

// What tsc makes of `export const app = new App()…` (the core comes from source here; the
// create-truss test runs the same command on a project built against the packed tarball).
const COMPILED = `import { App } from ${SRC.core};
export const app = new App().get("/", () => ({ served: "compiled" }));
`

function listening(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer().listen(port, "127.0.0.1", () => resolve(s))
  })
}

describe("truss start", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({
      "package.json": JSON.stringify({ type: "module" }),
      "dist/app.js": COMPILED,
      "src/app.ts": COMPILED,
    })
  })
  afterAll(() => p.remove())

  it("serves dist/app.js on PORT and shuts down gracefully on SIGTERM", async () => {
    const probe = await listening()
    const { port } = probe.address() as { port: number }
    await new Promise((r) => probe.close(r))
    const child = spawnTruss(p.dir, ["start"], { PORT: String(port) })
    let out = ""
    child.stdout.on("data", (d: Buffer) => (out += d))
    await new Promise<void>((resolve) =>
      child.stdout.on("data", () => out.includes("\n") && resolve()),
    )
    expect(out).toBe(`Truss listening at http://127.0.0.1:${port}/\n`)
    const res = await fetch(`http://127.0.0.1:${port}/`)
    expect(await res.json()).toEqual({ served: "compiled" })
    child.kill("SIGTERM")
    expect(await new Promise((r) => child.once("exit", r))).toBe(0)
  })

  it("refuses TypeScript with a fix", async () => {
    const r = await cli(p.dir, ["start", "--app", "src/app.ts"])
    expect(r.code).toBe(1)
    expect(r.err).toEqual([
      `TRUSS_ERR_CLI_START_NEEDS_JS truss start runs compiled JavaScript, but ${p.dir}/src/app.ts is TypeScript. Run \`npm run build\` (tsc) and start dist/app.js, or use truss dev while developing.`,
    ])
  })

  it("says which port is taken and what to do", async () => {
    const taken = await listening()
    const { port } = taken.address() as { port: number }
    try {
      const r = await truss(p.dir, ["start", "--port", String(port)])
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(
        `Port ${port} is already in use.\nStop the other server, or pick another port: --port ${port + 1} (or PORT=${port + 1}).\n`,
      )
    } finally {
      taken.close()
    }
  })
})
