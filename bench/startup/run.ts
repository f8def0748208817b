/**
 * `npm run bench -- startup [--runs n]`: cold start of Truss against Fastify and Hono.
 *
 * - import: a fresh `node` process timing `await import(x)` of the framework alone
 *   (Truss from a fresh compile of src/ into bench/results/startup-build, as `truss`
 *   resolves to dist/ for users);
 * - first response: spawn a hello-world server and time until its first 200 answer.
 *
 * `--against <git-rev>` adds `truss@<rev>`: that revision's src/ compiled the same way,
 * measured in the same interleaved run (before/after figures on a noisy machine).
 *
 * Medians of `runs` processes, run interleaved so load on the machine hits each alike;
 * ratios are Truss / other (below 1 is faster).
 * @module
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"

const ROOT = resolve(import.meta.dirname, "../..")
const BUILD = join(ROOT, "bench/results/startup-build")
const NODE = process.execPath

function build(cwd = ROOT, outDir = BUILD): void {
  execFileSync(
    join(ROOT, "node_modules/.bin/tsc"),
    ["-p", "tsconfig.build.json", "--outDir", outDir],
    {
      cwd,
      stdio: "inherit",
    },
  )
}

/** Compiles `rev`'s src/ under bench/results (packages resolve from the checkout's node_modules). */
function buildRevision(rev: string): string {
  const dir = join(ROOT, `bench/results/startup-rev-${rev}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const tar = execFileSync("git", ["archive", rev, "src", "tsconfig.json", "tsconfig.build.json"], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
  })
  execFileSync("tar", ["-x", "-C", dir], { input: tar })
  build(dir, join(dir, "dist"))
  return join(dir, "dist/index.js")
}

function helloOf(index: string): string {
  return `import { App } from ${JSON.stringify(index)}
const app = new App().get("/", () => "hi")
const s = await app.listen({ port: 0, host: "127.0.0.1" })
process.stdout.write(s.port + "\\n")`
}

const IMPORTS: Record<string, string> = {
  truss: join(BUILD, "index.js"),
  fastify: "fastify",
  hono: "hono",
}

const HELLO: Record<string, string> = {
  truss: helloOf(join(BUILD, "index.js")),
  fastify: `import Fastify from "fastify"
const app = Fastify()
app.get("/", async () => "hi")
await app.listen({ port: 0, host: "127.0.0.1" })
process.stdout.write(app.server.address().port + "\\n")`,
  hono: `import { Hono } from "hono"
import { serve } from "@hono/node-server"
const app = new Hono().get("/", (c) => c.text("hi"))
const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => process.stdout.write(info.port + "\\n"))`,
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Milliseconds `import(spec)` takes in a fresh process. */
function importTime(spec: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t))`
  return Number(
    execFileSync(NODE, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" }),
  )
}

/** Milliseconds from spawn to the first 200 of a hello server written to `file`. */
function firstResponse(file: string): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now()
    const child = spawn(NODE, [file], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] })
    child.stdout.setEncoding("utf8").once("data", async (line: string) => {
      try {
        const res = await fetch(`http://127.0.0.1:${Number.parseInt(line, 10)}/`)
        if ((await res.text()) !== "hi") throw new Error(`${file} did not answer hi`)
        done(performance.now() - started)
      } catch (err) {
        fail(err)
      } finally {
        child.kill()
      }
    })
    child.on("error", fail)
  })
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf("--runs")
  const runs = at === -1 ? 15 : Number(args[at + 1])
  build()
  const against = args.indexOf("--against")
  if (against !== -1) {
    const rev = args[against + 1]!
    const index = buildRevision(rev)
    IMPORTS[`truss@${rev}`] = index
    HELLO[`truss@${rev}`] = helloOf(index)
  }
  mkdirSync(join(ROOT, "bench/results"), { recursive: true })
  const files: Record<string, string> = {}
  for (const [name, code] of Object.entries(HELLO)) {
    files[name] = join(ROOT, `bench/results/startup-hello-${name.replace("@", "-")}.mjs`)
    writeFileSync(files[name], code)
  }
  if (!existsSync(IMPORTS.truss!)) throw new Error("build failed")
  const names = Object.keys(IMPORTS)
  const imports: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  const firsts: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (let i = 0; i < runs; i++) {
    for (const n of names) imports[n]!.push(importTime(IMPORTS[n]!))
    for (const n of names) firsts[n]!.push(await firstResponse(files[n]!))
  }
  const row = (label: string, of: Record<string, number[]>) => {
    const m = Object.fromEntries(names.map((n) => [n, median(of[n]!)]))
    const cells = names.map((n) => `${n} ${m[n]!.toFixed(1)} ms`).join("  ")
    const ratios = names
      .filter((n) => n !== "truss")
      .map((n) => `truss/${n} ${(m.truss! / m[n]!).toFixed(2)}x`)
      .join("  ")
    console.log(`${label.padEnd(16)} ${cells}  |  ${ratios}`)
  }
  console.log(`startup, median of ${runs} processes each (node ${process.version})`)
  row("import", imports)
  row("first response", firsts)
}
