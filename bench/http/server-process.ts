/**
 * Starts and stops one benchmark server as its own process, pinned to the server core.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import type { Scenario } from "./servers/common.js"

/** The frameworks, in table order; each has `servers/<name>.ts`. */
export const FRAMEWORKS = [
  "node-http",
  "node-http-batteries",
  "truss",
  "truss-batteries",
  "fastify",
  "hono",
  "express",
] as const
/**
 * One server: a framework, or `truss-baseline` (Truss built from another git revision
 * with `--baseline <rev>`, run by the same `servers/truss.ts`).
 */
export type Framework = (typeof FRAMEWORKS)[number] | "truss-baseline"

/** A running server. */
export interface ServerProcess {
  readonly framework: Framework
  readonly port: number
  readonly pid: number
  /** CPU time the process has used so far (all threads), in seconds. */
  cpuSeconds(): number
  stop(): Promise<void>
}

/** How to start servers. */
export interface StartOptions {
  /** Prefix, e.g. `["taskset", "-c", "0"]`. */
  pin: readonly string[]
  /** Node binary (the repo's Node 24). */
  node: string
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[]
  /** Extra environment variables. */
  env?: Readonly<Record<string, string>>
}

/** Starts `servers/<framework>.ts` and waits until it says it is listening. */
export async function startServer(
  framework: Framework,
  scenario: Scenario,
  port: number,
  o: StartOptions,
): Promise<ServerProcess> {
  const name = framework === "truss-baseline" ? "truss" : framework
  const file = fileURLToPath(new URL(`./servers/${name}.ts`, import.meta.url))
  const [cmd, ...pre] = [...o.pin, o.node]
  const child = spawn(
    cmd!,
    [...pre, ...(o.nodeFlags ?? []), "--import", "tsx", file, scenario, String(port)],
    {
      env: { ...process.env, ...o.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  )
  let output = ""
  child.stderr!.on("data", (d: Buffer) => {
    output += d.toString()
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(failure("did not start within 30 s")), 30_000)
    child.stdout!.on("data", (d: Buffer) => {
      output += d.toString()
      if (output.includes(`listening on ${port}`)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(failure(`exited with code ${code}`))
    })
  })
  function failure(what: string): Error {
    child.kill("SIGKILL")
    return new Error(`${framework} server (${scenario}) ${what}:\n${output}`)
  }
  const pid = child.pid!
  return { framework, port, pid, cpuSeconds: () => cpuSeconds(pid), stop: () => stop(child) }
}

/** A port that is free right now (the OS picks it), so parallel runs never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms (CLK_TCK 100). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
  await exited
  clearTimeout(timer)
}
