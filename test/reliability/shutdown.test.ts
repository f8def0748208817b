import { spawn } from "node:child_process"
import { join } from "node:path"
import { createInterface } from "node:readline"
import autocannon from "autocannon"
import { describe, expect, it } from "vitest"
import { sleep } from "./cluster.js"

const ROOT = join(import.meta.dirname, "../..")

/** Starts the fixture; resolves its URL, its stdout lines (kept coming) and its exit. */
async function startServer() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/shutdown-server.ts")],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  )
  const lines: string[] = []
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  )
  const rl = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve) => rl.once("line", resolve))
  rl.on("line", (l) => lines.push(l))
  const closed = new Promise((r) => rl.once("close", r))
  const { port } = JSON.parse(first) as { port: number }
  return { url: `http://127.0.0.1:${port}`, child, lines, exited, closed }
}

describe("graceful shutdown under load", () => {
  it("SIGTERM while 32 connections send: every request the server accepted is answered and logged", async () => {
    const server = await startServer()
    const load = autocannon({
      url: `${server.url}/work?ms=20`,
      connections: 32,
      duration: 3,
      timeout: 10,
    })
    await sleep(1200)
    // A slow request in flight when the signal comes.
    const slow = fetch(`${server.url}/work?ms=800`).then(async (r) => [r.status, await r.json()])
    await sleep(100)
    server.child.kill("SIGTERM")
    const code = await server.exited
    await server.closed
    const result = await load
    const logged = server.lines
      .filter((l) => l.includes('"status"'))
      .map((l) => JSON.parse(l) as { status: number })
    const counts = JSON.parse(server.lines.at(-1)!) as { started: number; finished: number }
    const report = {
      exit: code,
      server: {
        ...counts,
        logged: logged.length,
        logged200: logged.filter((l) => l.status === 200).length,
      },
      client: {
        sent: result.requests.sent,
        "2xx": result["2xx"],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      },
    }
    console.log("graceful shutdown:", JSON.stringify(report))
    expect(await slow).toEqual([200, { ok: true }])
    expect(code).toBe(0)
    // Nothing the server began was dropped: begun = ended = logged 200 = the client's 2xx
    // (+1: the slow request, which autocannon did not send).
    expect(counts.finished).toBe(counts.started)
    expect(logged.length).toBe(counts.started)
    expect(report.server.logged200).toBe(counts.started)
    expect(result["2xx"] + 1).toBe(counts.started)
    expect([result.non2xx, result.timeouts]).toEqual([0, 0])
    expect(counts.started).toBeGreaterThan(500)
  }, 30_000)
})
