import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, project, SRC, spawnTruss } from "./support.js"

const CONFIG = `import { defineConfig, field, model } from ${SRC.orm}
export const BlogPost = model("blog_post", { title: field.text() })
export default defineConfig({ database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: [BlogPost] })
`
const APP = `import { App } from ${SRC.core}
export const app = new App().get("/", { name: "home" }, () => ({ hello: "shell" }))
`

/**
 * Drives `truss shell` as a person would: each line is typed once the prompt is back,
 * then stdin is closed. Returns what it printed.
 */
function shell(
  dir: string,
  lines: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnTruss(dir, ["shell"])
  let out = ""
  let err = ""
  const queue = [...lines]
  child.stdout.on("data", (d: Buffer) => {
    out += d
    if (!out.endsWith("truss> ")) return
    const next = queue.shift()
    if (next === undefined) child.stdin.end()
    else child.stdin.write(`${next}\n`)
  })
  child.stderr.on("data", (d: Buffer) => (err += d))
  return new Promise((done) => child.on("close", (code) => done({ code, out, err })))
}

describe("truss shell", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({
      "package.json": JSON.stringify({ type: "module" }),
      "truss.config.ts": CONFIG,
      "src/app.ts": APP,
    })
    expect((await cli(p.dir, ["makemigrations"])).code).toBe(0)
    expect((await cli(p.dir, ["migrate"])).code).toBe(0)
  })
  afterAll(() => p.remove())

  it("evaluates top-level await with db, the models by name and the app in scope", async () => {
    const r = await shell(p.dir, [
      'await db.query(BlogPost).create({ title: "From the shell" })',
      "await db.query(models.blog_post).count()",
      'JSON.stringify(await (await app.request("/")).json())',
      "Object.keys(config).sort().join()",
      ".exit",
    ])
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out.split("\n")).toEqual([
      "Truss shell. In scope: app, db, config, BlogPost, models. .exit to leave.",
      "truss> { id: 1, title: 'From the shell' }",
      "truss> 1",
      `truss> '{"hello":"shell"}'`,
      "truss> 'database,migrations,models'",
      "truss> ",
    ])
  })

  it("keeps rows written in one session for the next", async () => {
    const r = await shell(p.dir, ["(await db.query(BlogPost).all()).map((p) => p.title)"])
    expect(r.out.split("\n").slice(1)).toEqual(["truss> [ 'From the shell' ]", "truss> "])
    expect(r.code).toBe(0)
  })
})
