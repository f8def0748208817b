/**
 * `npm run bench -- newproject [--template site] [--edit code] [--keep]`: how long a new user takes
 * from `npm create truss` to a running, reloading app with a passing test.
 *
 * Truss is first packed as npm would publish it (not timed: a user gets it from the
 * registry). Then, timed one after another in a temp folder:
 *
 * 1. create: `create-truss <dir> --template <t>`;
 * 2. install: `npm install` (the tarball plus the registry; npm's cache as it is);
 * 3. test: `npm test`;
 * 4. dev: `npm run dev` until its first 200 on `/` (migrations included);
 * 5. reload: an edit until the page shows it: code (a restart) for minimal, api and
 *    realtime; for site its home template (read again, no restart), or with
 *    `--edit code` `src/site.ts` (a restart).
 *
 * Prints each step's seconds and the total; the bar is under 60 s.
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { promisify } from "node:util"

const exec = promisify(execFile)
const ROOT = resolve(import.meta.dirname, "../..")
const CREATE = join(ROOT, "packages/create-truss/index.js")
const BIG = { maxBuffer: 1 << 26 }

interface Edit {
  file: string
  from: string
  to: string
  /** The page that shows it. @default "/" */
  path?: string
}

/** The code edit step 5 makes per template; the site's default edits its home template. */
const TEMPLATE_EDIT: Edit = { file: "templates/home.liquid", from: "Welcome to", to: "Reloaded:" }
const EDITS: Record<string, Edit> = {
  minimal: { file: "app.ts", from: "Hello from", to: "Reloaded:" },
  api: { file: "src/api.ts", from: 'docs: "/docs"', to: 'docs: "/docs", reloaded: true' },
  realtime: { file: "app.ts", from: "chat: connect", to: "reloaded: connect" },
  // A code change restarts the app; a template change is read again without a restart.
  site: {
    file: "src/site.ts",
    from: 'site: "my-app"',
    to: 'site: "Reloaded"',
    path: "/accounts/login",
  },
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

/** Builds dist/ into `dir` (never the shared one) and packs it; returns the tarball. */
async function packTruss(dir: string): Promise<string> {
  const pkg = join(dir, "pkg")
  await mkdir(pkg, { recursive: true })
  // tsc exits non-zero on type errors in files others are editing; it still emits.
  await exec(
    join(ROOT, "node_modules/.bin/tsc"),
    ["-p", "tsconfig.build.json", "--outDir", join(pkg, "dist")],
    { cwd: ROOT },
  ).catch(() => undefined)
  await exec(process.execPath, ["scripts/copy-assets.mjs"], {
    cwd: ROOT,
    env: { ...process.env, ASSETS_OUT: join(pkg, "dist") },
  })
  const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >
  delete manifest.workspaces
  await writeFile(join(pkg, "package.json"), JSON.stringify(manifest, null, 2))
  await cp(join(ROOT, "README.md"), join(pkg, "README.md"))
  const { stdout } = await exec("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: pkg,
  })
  return join(dir, stdout.trim().split("\n").pop() ?? "")
}

/** Polls `url` until `ok(body)` holds; returns when it does. */
async function until(
  url: string,
  ok: (body: string) => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    try {
      const res = await fetch(url, { headers: { accept: "text/html" } })
      if (res.status === 200 && ok(await res.text())) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`${url} did not answer as expected within ${timeoutMs} ms`)
}

/** Ends `npm run dev` and its children: it runs in its own process group. */
function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid
  if (child.exitCode !== null || pid === undefined) return Promise.resolve()
  return new Promise((done) => {
    child.once("exit", () => done())
    process.kill(-pid, "SIGTERM")
  })
}

async function timed(label: string, steps: [string, number][], fn: () => Promise<unknown>) {
  const t0 = performance.now()
  await fn()
  const s = (performance.now() - t0) / 1000
  steps.push([label, s])
  console.log(`  ${label.padEnd(8)} ${s.toFixed(1).padStart(6)} s`)
}

/** Runs the bench; see the module comment. */
export async function run(args: string[]): Promise<void> {
  const at = args.indexOf("--template")
  const template = at >= 0 ? (args[at + 1] ?? "site") : "site"
  const byCode = args.includes("--edit") && args[args.indexOf("--edit") + 1] === "code"
  const edit = template === "site" && !byCode ? TEMPLATE_EDIT : EDITS[template]
  if (!edit) throw new Error(`unknown template "${template}": use ${Object.keys(EDITS).join(", ")}`)
  const dir = await mkdtemp(join(tmpdir(), "bench-newproject-"))
  const app = join(dir, "my-app")
  const steps: [string, number][] = []
  let dev: ChildProcess | undefined
  let devOut = ""
  try {
    console.log(`newproject: packing Truss (not timed) in ${dir}`)
    const tarball = await packTruss(dir)
    console.log(`newproject: template ${template}, node ${process.version}`)
    await timed("create", steps, () =>
      exec(process.execPath, [CREATE, app, "-t", template, "--truss", `file:${tarball}`], {
        cwd: dir,
      }),
    )
    await timed("install", steps, () =>
      exec("npm", ["install", "--no-audit", "--no-fund"], { cwd: app, ...BIG }),
    )
    await timed("test", steps, () => exec("npm", ["test"], { cwd: app, ...BIG }))
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    await timed("dev", steps, async () => {
      dev = spawn("npm", ["run", "dev"], {
        cwd: app,
        env: { ...process.env, PORT: String(port), NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "ignore"],
        detached: true,
      })
      dev.stdout?.on("data", (d: Buffer) => (devOut += d))
      await until(`${base}/`, () => true)
    })
    const path = join(app, edit.file)
    // truss dev's recursive fs.watch may still be setting up when the app first answers,
    // and then misses an edit: the edit is saved again each second until truss dev says
    // it restarts (or, for a template, the page shows it). The step counts from the
    // first save, what a person waits; the saves are printed.
    const original = await readFile(path, "utf8")
    let saves = 0
    await timed("reload", steps, async () => {
      const shown = until(`${base}${edit.path ?? "/"}`, (body) => body.includes(edit.to))
      let done = false
      shown.then(() => (done = true)).catch(() => undefined)
      while (!done && !devOut.includes("restarting") && saves < 120) {
        saves++
        await writeFile(path, `${original.replace(edit.from, edit.to)}${"\n".repeat(saves - 1)}`)
        await Promise.race([shown, new Promise((r) => setTimeout(r, 1000))])
      }
      await shown
    })
    console.log(`  (saves until truss dev picked the edit up: ${saves})`)
  } finally {
    if (dev) await stop(dev)
    if (!args.includes("--keep")) await rm(dir, { recursive: true, force: true })
  }
  const total = steps.reduce((sum, [, s]) => sum + s, 0)
  console.log(
    `  ${"total".padEnd(8)} ${total.toFixed(1).padStart(6)} s  (bar: under 60 s: ${total < 60 ? "met" : "NOT met"})`,
  )
}
