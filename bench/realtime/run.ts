/**
 * The realtime benchmark: Truss realtime against raw `ws` and Socket.IO 4, in one run.
 * Each server runs alone on core 0 (`taskset -c 0`), the load generator on core 1, with
 * `ulimit -n` raised. Per server: memory per idle connection (RSS after GC, and heap),
 * a 100-byte broadcast to every connection repeated (p50/p99 delivery latency and
 * deliveries per second), and echo on 1,000 connections (messages per second). Then the
 * same fan-out across 3 Truss processes over Redis.
 *
 * `npm run bench -- realtime [--connections 10000] [--echo 1000] [--broadcasts 20]`
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { freePort } from "../http/server-process.js"

const root = fileURLToPath(new URL("../..", import.meta.url))
const here = join(root, "bench/realtime")

interface Result {
  kind: string
  connections: number
  perConnection: number
  heapPerConnection: number
  broadcast: {
    delivered: number
    expected: number
    incomplete: number
    p50: number
    p99: number
    max: number
    perSecond: number
    perCpuSecond: number
  }
  echoPerSecond: number
}

function pinned(core: number, args: string[], stdio: "pipe" | "inherit" = "pipe"): ChildProcess {
  const cmd = `ulimit -n 20000; exec taskset -c ${core} "$0" "$@"`
  return spawn("bash", ["-c", cmd, process.execPath, ...args], {
    cwd: root,
    stdio: ["ignore", stdio, "inherit"],
  })
}

async function startServer(
  kind: string,
  prefix = "",
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = pinned(0, [
    "--expose-gc",
    "--import",
    "tsx",
    join(here, "server.ts"),
    kind,
    String(port),
    prefix,
  ])
  for await (const line of createInterface({ input: child.stdout! })) if (line === "ready") break
  return { url: `http://127.0.0.1:${port}`, child }
}

async function load(
  kind: string,
  urls: string[],
  n: number,
  echo: number,
  broadcasts: number,
): Promise<Result> {
  const child = pinned(1, [
    "--import",
    "tsx",
    join(here, "load.ts"),
    kind,
    urls.join(","),
    String(n),
    String(echo),
    String(broadcasts),
  ])
  let out = ""
  child.stdout!.on("data", (c: Buffer) => {
    out += c
  })
  await new Promise((r) => child.once("exit", r))
  return JSON.parse(out.trim().split("\n").pop()!) as Result
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill("SIGKILL")
  await new Promise((r) => child.once("exit", r))
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      connections: { type: "string", default: "10000" },
      echo: { type: "string", default: "1000" },
      broadcasts: { type: "string", default: "20" },
    },
  })
  const n = Number(values.connections)
  const echo = Number(values.echo)
  const broadcasts = Number(values.broadcasts)
  const results: Result[] = []
  for (const kind of ["raw", "truss", "socketio", "floor"]) {
    const server = await startServer(kind)
    // floor: the same frames written to plain sockets by a bare `net` loop (no ws, no echo).
    results.push(await load(kind, [server.url], n, kind === "floor" ? 0 : echo, broadcasts))
    await stop(server.child)
    console.error(`done: ${kind}`)
  }
  const prefix = `bench:rt:${Date.now()}:`
  const cluster = await Promise.all([0, 1, 2].map(() => startServer("truss-redis", prefix)))
  const fanOut = await load(
    "truss",
    cluster.map((s) => s.url),
    n,
    echo,
    broadcasts,
  )
  fanOut.kind = "truss ×3 over Redis"
  results.push(fanOut)
  for (const s of cluster) await stop(s.child)

  const raw = results[0]!
  const io = results[2]!
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`
  console.log(
    `\nrealtime: ${n} connections, ${broadcasts} broadcasts of ~100 bytes, echo on ${echo} (server on core 0, load on core 1)\n`,
  )
  console.log(
    "| server | RSS / idle conn | heap / idle conn | delivered | p50 ms | p99 ms | deliveries/s | × raw ws | × Socket.IO | echo msg/s | echo × raw ws | deliveries / server CPU-s | × raw ws | × Socket.IO |",
  )
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
  for (const r of results) {
    const b = r.broadcast
    console.log(
      `| ${r.kind} | ${kib(r.perConnection)} | ${kib(r.heapPerConnection)} | ${b.delivered}/${b.expected} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} | ${Math.round(b.perSecond)} | ${(b.perSecond / raw.broadcast.perSecond).toFixed(2)} | ${(b.perSecond / io.broadcast.perSecond).toFixed(2)} | ${r.kind === "floor" ? "—" : Math.round(r.echoPerSecond)} | ${r.kind === "floor" ? "—" : (r.echoPerSecond / raw.echoPerSecond).toFixed(2)} | ${Math.round(b.perCpuSecond)} | ${(b.perCpuSecond / raw.broadcast.perCpuSecond).toFixed(2)} | ${(b.perCpuSecond / io.broadcast.perCpuSecond).toFixed(2)} |`,
    )
  }
  const truss = results[1]!
  console.log(
    `\nTruss memory above raw ws per idle connection: ${kib(truss.perConnection - raw.perConnection)} RSS (target ≤ 10 KiB)`,
  )
  mkdirSync(join(root, "bench/results"), { recursive: true })
  const file = join(
    root,
    "bench/results",
    `realtime-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
  )
  writeFileSync(file, JSON.stringify({ n, echo, broadcasts, results }, null, 2))
  console.log(`results: ${file}`)
}
