import { createServer } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { project, SRC, spawnTruss, write } from "./support.js"

const app = (body: string) => `import { App } from ${SRC.core}
export const app = new App().get("/", () => ${JSON.stringify(body)})
`

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn().catch(() => undefined)
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe("truss dev", () => {
  let p: Awaited<ReturnType<typeof project>>
  let port: number
  let dev: ReturnType<typeof spawnTruss>
  let out = ""
  let err = ""
  const home = () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())

  beforeAll(async () => {
    p = await project({
      "package.json": JSON.stringify({ type: "module" }),
      "src/app.ts": app("v1"),
    })
    port = await freePort()
    dev = spawnTruss(p.dir, ["dev", "--port", String(port), "--debounce", "150"])
    dev.stdout.on("data", (d: Buffer) => (out += d))
    dev.stderr.on("data", (d: Buffer) => (err += d))
  })
  afterAll(async () => {
    if (dev.exitCode === null) {
      dev.kill("SIGTERM")
      await new Promise((r) => dev.once("exit", r))
    }
    await p.remove()
  })

  it("prints the URL and serves the app", async () => {
    await until("the URL", async () => (out.includes("Truss dev server") ? true : undefined))
    expect(out.trim().split("\n")).toEqual([`Truss dev server at http://127.0.0.1:${port}/`])
    expect(await home()).toBe("v1")
  })

  it("restarts once on the same port after a burst of edits, and serves the change", async () => {
    await write(p.dir, "src/app.ts", app("v2-draft"))
    await write(p.dir, "src/app.ts", app("v2-draft2"))
    await write(p.dir, "src/app.ts", app("v2"))
    await until("v2", async () => ((await home()) === "v2" ? true : undefined))
    await new Promise((r) => setTimeout(r, 500))
    const lines = out.trim().split("\n")
    expect(lines).toEqual([
      `Truss dev server at http://127.0.0.1:${port}/`,
      "Changed src/app.ts: restarting…",
      `Truss dev server at http://127.0.0.1:${port}/`,
    ])
  })

  it("shows a startup error clearly, keeps watching and recovers on the fix", async () => {
    await write(p.dir, "src/app.ts", `${app("v3")}\nthrow new Error("config is broken")\n`)
    await until("the error", async () => (err.includes("did not start") ? true : undefined))
    expect(err).toContain("Error: config is broken")
    expect(err).toContain("The app did not start (above). Fix it and save: Truss restarts it.")
    await write(p.dir, "src/app.ts", app("v3"))
    expect(await until("v3", async () => ((await home()) === "v3" ? "v3" : undefined))).toBe("v3")
  })

  it("stops the app with the dev server on SIGTERM, freeing the port", async () => {
    dev.kill("SIGTERM")
    expect(await new Promise((r) => dev.once("exit", r))).toBe(0)
    await expect(home()).rejects.toThrow("fetch failed")
  })
})
