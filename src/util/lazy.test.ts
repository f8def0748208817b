import { execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { lazyRequire } from "./lazy.js"

const ROOT = resolve(import.meta.dirname, "../..")
const LAZY = [
  "fast-json-stringify",
  "mime-types",
  "@fastify/busboy",
  "proxy-addr",
  "pino",
  "node:http",
]

/** The node_modules packages (and node:http) a fresh process has loaded, then what each first request answered. */
const SCRIPT = `
import { createRequire } from "node:module"
import { writeFileSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { z } from "zod"
const { App, sendFile } = await import(${JSON.stringify(join(ROOT, "src/index.ts"))})
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache)
  .map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean)),
  ...process.moduleLoadList.filter((m) => m === "NativeModule http").map(() => "node:http")].sort()
const atImport = loaded()
const dir = mkdtempSync(join(tmpdir(), "truss-cold-"))
writeFileSync(join(dir, "a.css"), "b{}")
const hello = new App().get("/", () => "hi")
const helloText = await (await hello.request("/")).text()
const afterHello = loaded()
const app = new App({ trustProxy: "loopback" })
  .get("/user", { response: { 200: z.object({ id: z.number() }) } }, () => ({ id: 1, secret: "x" }))
  .get("/file", (c) => sendFile(c, join(dir, "a.css")))
  .post("/upload", async (c) => {
    const names = []
    for await (const part of c.req.parts()) {
      if (part.kind === "file") for await (const _ of part.stream) {}
      names.push(part.name)
    }
    return names.join(",")
  })
const user = await (await app.request("/user")).text()
const file = await app.request("/file")
const form = new FormData()
form.append("title", "t")
form.append("doc", new Blob(["data"]), "d.txt")
const upload = await (await app.request("/upload", { method: "POST", body: form })).text()
const boom = new App().get("/boom", () => { throw new Error("boom") })
const boomStatus = (await boom.request("/boom")).status
process.stdout.write("RESULT " + JSON.stringify({ atImport, helloText, afterHello, user,
  fileType: file.headers.get("content-type"), fileBody: await file.text(), upload, boomStatus,
  afterAll: loaded() }) + "\\n")
`

describe("lazyRequire", () => {
  it("loads the package on the first call and returns the same module after", () => {
    const load = lazyRequire<typeof import("mime-types")>("mime-types")
    const first = load()
    expect(first.contentType(".css")).toBe("text/css; charset=utf-8")
    expect(load()).toBe(first)
    expect(first).toBe(createRequire(import.meta.url)("mime-types"))
  })

  it("keeps a fresh import and a hello request free of optional packages; each first use still works", () => {
    const out = execFileSync(
      join(ROOT, "node_modules/.bin/node"),
      ["--import", "tsx", "--input-type=module", "-e", SCRIPT],
      { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    )
    const lines = out.trim().split("\n")
    const r = JSON.parse(lines.find((l) => l.startsWith("RESULT "))!.slice(7))
    // The default logger, built on the first error, logged it (stdout, pino JSON).
    const logged = lines.filter((l) => !l.startsWith("RESULT ")).map((l) => JSON.parse(l))
    expect(logged.map((l) => [l.level, l.err?.message])).toEqual([[50, "boom"]])
    for (const name of LAZY) {
      expect(r.atImport).not.toContain(name)
      // app.request() builds a web Request, and undici loads node:http for that.
      if (name !== "node:http") expect(r.afterHello).not.toContain(name)
    }
    expect(r.helloText).toBe("hi")
    expect(r.user).toBe('{"id":1}')
    expect(r.fileType).toBe("text/css; charset=utf-8")
    expect(r.fileBody).toBe("b{}")
    expect(r.upload).toBe("title,doc")
    expect(r.boomStatus).toBe(500)
    for (const name of LAZY) expect(r.afterAll).toContain(name)
  })
})
