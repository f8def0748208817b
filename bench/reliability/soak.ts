/**
 * The soak: the demo app (examples/demo/server.ts, production mode) on a SQLite file,
 * with sessions in its database (authSessionStore) and logged-in users, under a steady
 * moderate load for a bounded time. Every 10 s it records the server's heap after a full
 * GC, its RSS and open file descriptors, and the window's request count, errors, p50
 * and p99; at the end it prints the table and the heap slope (least squares, MiB/min).
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { openDatabase } from "../../examples/demo/database.js"
import { createUser } from "../../src/auth/index.js"
import { freePort } from "../../test/cache/redis-server.js"
import { BrowserUser } from "../../test/reliability/browser-user.js"
import { nodeBinary, root } from "../support/processes.js"

const USERS = 10
/** Each user sends one request every PACE_MS: USERS × 1000 / PACE_MS requests a second. */
const PACE_MS = 100
const WINDOW_MS = 10_000
const PASSWORD = "a long enough soak passphrase"

interface Probe {
  heapUsed: number
  rss: number
  fds: number
}
interface Window {
  t: number
  requests: number
  errors: number
  p50: number
  p99: number
  heapMiB: number
  rssMiB: number
  fds: number
}

const mib = (n: number) => Math.round((n / 1048576) * 10) / 10
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length
  const mx = points.reduce((s, [x]) => s + x, 0) / n
  const my = points.reduce((s, [, y]) => s + y, 0) / n
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}

async function startDemo(
  url: string,
  port: number,
): Promise<{ child: ChildProcess; probe(): Promise<Probe> }> {
  const child = spawn(
    nodeBinary(),
    [
      "--expose-gc",
      "--import",
      "tsx",
      "--import",
      join(root, "bench/reliability/gc-probe.ts"),
      "examples/demo/server.ts",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: url,
        PORT: String(port),
        SESSION_SECRET: "soak-session-secret-0123456789abcdefghij",
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  )
  const waiting: ((p: Probe) => void)[] = []
  createInterface({ input: child.stderr! }).on("line", (line) => {
    if (line.startsWith("soak-probe ")) waiting.shift()?.(JSON.parse(line.slice(11)) as Probe)
    else process.stderr.write(`demo: ${line}\n`)
  })
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/hello/soak`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) break
    if (i > 300) throw new Error("the demo did not start")
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    probe: () =>
      new Promise((resolve) => {
        waiting.push(resolve)
        child.kill("SIGUSR2")
      }),
  }
}

async function login(base: string, email: string): Promise<BrowserUser> {
  const user = new BrowserUser({ secureOverHttp: true })
  // Asked for JSON, the login page answers with the CSRF token.
  const page = await user.request(base, "/accounts/login", {
    headers: { accept: "application/json" },
  })
  const { csrfToken: token } = (await page.json()) as { csrfToken: string }
  const res = await user.request(base, "/accounts/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token },
    body: new URLSearchParams({ email, password: PASSWORD }).toString(),
    redirect: "manual",
  })
  const text = await res.text()
  const tasks = await user.request(base, "/tasks", { redirect: "manual" })
  await tasks.arrayBuffer()
  if (tasks.status !== 200)
    throw new Error(
      `login of ${email} answered ${res.status} (${text.slice(0, 200)}); /tasks ${tasks.status}`,
    )
  return user
}

/** One user's round: a session page, then a note's life (create, read, update, delete). */
async function round(user: BrowserUser, base: string, step: number, note: { id?: number }) {
  const json = { "content-type": "application/json" }
  switch (step % 5) {
    case 0:
      return user.request(base, "/tasks")
    case 1:
      return user.request(base, "/api/notes", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ text: `n${step}` }),
      })
    case 2:
      return user.request(base, `/api/notes/${note.id}`)
    case 3:
      return user.request(base, `/api/notes/${note.id}`, {
        method: "PATCH",
        headers: json,
        body: JSON.stringify({ text: "x" }),
      })
    default:
      return user.request(base, `/api/notes/${note.id}`, { method: "DELETE" })
  }
}

/** Runs the soak for `seconds` and prints the windows and the summary. */
export async function soakDemo(seconds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "truss-soak-"))
  const url = `sqlite:${join(dir, "soak.db")}`
  const setup = await openDatabase(url)
  for (let i = 0; i < USERS; i++)
    await createUser(setup, { email: `soak${i}@example.com`, password: PASSWORD })
  await setup.close()
  const port = await freePort()
  const demo = await startDemo(url, port)
  const base = `http://127.0.0.1:${port}`
  const users = await Promise.all(
    Array.from({ length: USERS }, (_, i) => login(base, `soak${i}@example.com`)),
  )

  const windows: Window[] = []
  let latencies: number[] = []
  let errors = 0
  let requests = 0
  const statuses: Record<string, number> = {}
  const started = Date.now()
  const end = started + seconds * 1000
  const loops = users.map(async (user, u) => {
    const note: { id?: number } = {}
    for (let step = 0; Date.now() < end; step++) {
      const t0 = performance.now()
      try {
        const res = await round(user, base, step, note)
        const body = await res.text()
        if (step % 5 === 1 && res.status === 201) note.id = (JSON.parse(body) as { id: number }).id
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        if (res.status >= 400) errors++
      } catch {
        errors++
        statuses.network = (statuses.network ?? 0) + 1
      }
      const ms = performance.now() - t0
      latencies.push(ms)
      requests++
      await new Promise((r) => setTimeout(r, Math.max(0, PACE_MS - ms + (u % 3))))
    }
  })
  const sampler = (async () => {
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(WINDOW_MS, end - Date.now())))
      const sorted = latencies.sort((a, b) => a - b)
      const p = await demo.probe()
      windows.push({
        t: Math.round((Date.now() - started) / 1000),
        requests,
        errors,
        p50: Math.round(quantile(sorted, 0.5) * 10) / 10,
        p99: Math.round(quantile(sorted, 0.99) * 10) / 10,
        heapMiB: mib(p.heapUsed),
        rssMiB: mib(p.rss),
        fds: p.fds,
      })
      console.log(JSON.stringify(windows.at(-1)))
      latencies = []
      requests = 0
      errors = 0
    }
  })()
  await Promise.all([...loops, sampler])
  demo.child.kill("SIGTERM")
  await new Promise((r) => demo.child.once("exit", r))
  rmSync(dir, { recursive: true, force: true })

  // The first window holds the warm-up (JIT, caches); the slope is taken after it.
  const steady = windows.slice(1)
  const summary = {
    seconds,
    users: USERS,
    targetRps: (USERS * 1000) / PACE_MS,
    requests: windows.reduce((s, w) => s + w.requests, 0),
    errors: windows.reduce((s, w) => s + w.errors, 0),
    statuses,
    heapSlopeMiBPerMin: Math.round(slope(steady.map((w) => [w.t / 60, w.heapMiB])) * 1000) / 1000,
    heapMiB: { first: steady[0]?.heapMiB, last: steady.at(-1)?.heapMiB },
    fds: {
      first: steady[0]?.fds,
      last: steady.at(-1)?.fds,
      max: Math.max(...steady.map((w) => w.fds)),
    },
    p99: {
      first: steady[0]?.p99,
      last: steady.at(-1)?.p99,
      max: Math.max(...steady.map((w) => w.p99)),
    },
  }
  const out = join(root, `bench/results/reliability-soak-${Date.now()}.json`)
  writeFileSync(out, JSON.stringify({ summary, windows }, null, 2))
  console.log(JSON.stringify({ soak: summary }, null, 2))
  console.log(`windows written to ${out}`)
}
