import { type ChildProcess, execFile, spawn } from "node:child_process"
import { access, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

// End to end, as a new user: pack Truss as npm would publish it, generate each template
// with create-truss, npm install (the tarball plus the registry), npm test, then serve
// it with truss dev and with truss start after npm run build, and request its home page.
const run = promisify(execFile)
/** CI=true turns picocolors on; the messages are compared as plain text. */
const PLAIN = { ...process.env, NO_COLOR: "1" }
const ROOT = resolve(".")
const CREATE = resolve("packages/create-truss/index.js")
const LONG = 600_000

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

/** Builds dist/ into a temp folder (never the shared one) and packs it. */
async function packTruss(dir: string): Promise<string> {
  const pkg = join(dir, "pkg")
  await mkdir(pkg, { recursive: true })
  // tsc exits non-zero on type errors in files being edited elsewhere; it still emits.
  await run(
    join(ROOT, "node_modules/.bin/tsc"),
    ["-p", "tsconfig.build.json", "--outDir", join(pkg, "dist")],
    { cwd: ROOT },
  ).catch(() => undefined)
  await run(process.execPath, ["scripts/copy-assets.mjs"], {
    cwd: ROOT,
    env: { ...process.env, ASSETS_OUT: join(pkg, "dist") },
  })
  await access(join(pkg, "dist/cli/bin.js"))
  const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >
  delete manifest.workspaces
  await writeFile(join(pkg, "package.json"), JSON.stringify(manifest, null, 2))
  await cp(join(ROOT, "README.md"), join(pkg, "README.md"))
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: pkg })
  return join(dir, stdout.trim().split("\n").pop()!)
}

function serve(
  cwd: string,
  argv: string[],
  port: number,
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(join(cwd, "node_modules/.bin/truss"), argv, {
    cwd,
    env: {
      ...process.env,
      ...extraEnv,
      PORT: String(port),
      NO_COLOR: "1",
      PATH: `${join(cwd, "node_modules/.bin")}:${process.env.PATH}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let out = ""
  const ready = new Promise<string>((done, fail) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d
      if (out.includes(`:${port}/`)) done(out)
    })
    child.stderr!.on("data", (d: Buffer) => (out += d))
    child.once("exit", (code) => fail(new Error(`truss ${argv[0]} exited ${code}: ${out}`)))
  })
  return { child, ready }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  child.kill("SIGTERM")
  return new Promise((done) => child.once("exit", (code) => done(code)))
}

const HOME = {
  minimal: { message: "Hello from minimal-app!" },
  api: { name: "api-app", notes: "/notes", docs: "/docs" },
  realtime: { message: "realtime-app chat: connect a WebSocket to /chat?name=you" },
} as const
type Template = keyof typeof HOME | "site"

/** Checks the home page (JSON, or the site's HTML) and, for the site, the admin's login. */
async function expectHome(template: Template, base: string): Promise<void> {
  const res = await fetch(`${base}/`)
  expect(res.status).toBe(200)
  if (template !== "site") {
    expect(await res.json()).toEqual(HOME[template])
    return
  }
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
  const html = await res.text()
  expect(html).toContain("<h1>Welcome to site-app</h1>")
  expect(html).toContain('<a href="/accounts/login">Log in</a>')
  const css = await fetch(`${base}/static/site.css`)
  expect([css.status, css.headers.get("content-type")]).toEqual([200, "text/css; charset=utf-8"])
  const login = await fetch(`${base}/accounts/login`, { headers: { accept: "text/html" } })
  expect([login.status, (await login.text()).includes("<h1>Sign in</h1>")]).toEqual([200, true])
  const admin = await fetch(`${base}/admin/`, {
    headers: { accept: "text/html" },
    redirect: "manual",
  })
  expect([admin.status, admin.headers.get("location")]).toEqual([
    303,
    "/admin/login?next=%2Fadmin%2F",
  ])
  const adminLogin = await fetch(`${base}/admin/login`, { headers: { accept: "text/html" } })
  expect(adminLogin.status).toBe(200)
  expect(await adminLogin.text()).toContain("site-app admin: staff only.")
}

describe("npm create truss: every template, installed from a packed tarball", () => {
  let dir: string
  let tarball: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "create-truss-"))
    tarball = await packTruss(dir)
  }, LONG)
  afterAll(() => rm(dir, { recursive: true, force: true }))

  for (const template of ["minimal", "api", "realtime", "site"] as const) {
    it(
      `${template}: generates, installs, passes npm test, and serves / under truss dev and truss start`,
      async () => {
        const app = join(dir, `${template}-app`)
        const made = await run(
          process.execPath,
          [CREATE, app, "--template", template, "--truss", `file:${tarball}`],
          { cwd: dir, env: PLAIN },
        )
        expect(made.stdout).toBe(
          `Created ${template}-app (${template}) in ${template}-app. Next:\n\n  cd ${template}-app\n  npm install && npm run dev\n  npm test\n`,
        )
        const pkg = JSON.parse(await readFile(join(app, "package.json"), "utf8"))
        expect([
          pkg.name,
          pkg.type,
          pkg.engines,
          pkg.devDependencies.node,
          pkg.dependencies.truss,
        ]).toEqual([`${template}-app`, "module", { node: ">=22" }, "^24.21.0", `file:${tarball}`])
        for (const f of [
          ".gitignore",
          ".env.example",
          "README.md",
          "tsconfig.json",
          "biome.json",
          ".dockerignore",
        ])
          await access(join(app, f))
        expect(await readFile(join(app, "Dockerfile"), "utf8")).toBe(
          await readFile(join(ROOT, "Dockerfile"), "utf8"),
        )
        const readme = await readFile(join(app, "README.md"), "utf8")
        expect(readme).toContain("npm install && npm run dev")
        expect(readme).toContain("npm test ")

        await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: app, maxBuffer: 1 << 24 })
        const tested = await run("npm", ["test"], { cwd: app })
        expect(tested.stdout).toMatch(/ℹ fail 0/)
        expect(tested.stdout).toMatch(/ℹ pass 3/)

        const migrates = template === "api" || template === "site"
        if (migrates) await run("npm", ["run", "migrate"], { cwd: app })
        const devPort = await freePort()
        const dev = serve(app, ["dev"], devPort)
        try {
          expect(await dev.ready).toContain(`Truss dev server at http://127.0.0.1:${devPort}/`)
          await expectHome(template, `http://127.0.0.1:${devPort}`)
        } finally {
          expect(await stop(dev.child)).toBe(0)
        }

        await run("npm", ["run", "build"], { cwd: app })
        const port = await freePort()
        // The site refuses to start in production without a SECRET_KEY.
        const siteEnv = {
          NODE_ENV: "production",
          SECRET_KEY: "a-production-secret-of-32-characters-or-more",
        }
        const prod = serve(app, ["start"], port, template === "site" ? siteEnv : {})
        try {
          expect(await prod.ready).toBe(`Truss listening at http://127.0.0.1:${port}/\n`)
          await expectHome(template, `http://127.0.0.1:${port}`)
          if (template === "api") {
            const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
            expect(await ready.json()).toEqual({ status: "ok", checks: { database: "ok" } })
          }
        } finally {
          expect(await stop(prod.child)).toBe(0)
        }
      },
      LONG,
    )
  }

  it("refuses a folder that is not empty and an unknown template", async () => {
    const taken = join(dir, "taken")
    await mkdir(taken)
    await writeFile(join(taken, "x"), "")
    const busy = await run(process.execPath, [CREATE, taken, "--yes"], { env: PLAIN }).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect(busy).toMatchObject({
      code: 1,
      stderr: `create-truss: ${taken} is not empty. Pick a new folder name, or empty this one.\n`,
    })
    const unknown = await run(process.execPath, [CREATE, join(dir, "x"), "-t", "blog"], {
      env: PLAIN,
    }).catch((e: { code: number; stderr: string }) => e)
    expect(unknown).toMatchObject({
      code: 1,
      stderr: 'create-truss: unknown template "blog": pick minimal or api or realtime or site.\n',
    })
  })
})
