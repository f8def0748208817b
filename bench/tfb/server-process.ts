/**
 * Starts and stops one TFB implementation as its own process (Node through tsx, or
 * gunicorn for Django and Flask), pinned to the server core, and reads the CPU time
 * of its whole process tree (gunicorn's work happens in its worker processes).
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { readdirSync, readFileSync } from "node:fs"
import { request } from "node:http"
import { fileURLToPath } from "node:url"

/** The implementations, in table order. */
export const IMPLEMENTATIONS = [
  "truss",
  "truss-raw",
  "fastify",
  "express",
  "django",
  "flask",
] as const
/** One implementation name. */
export type Implementation = (typeof IMPLEMENTATIONS)[number]

/** Table labels. */
export const LABEL: Record<Implementation, string> = {
  truss: "Truss (ORM + templates)",
  "truss-raw": "Truss raw (pg)",
  fastify: "Fastify 5 (pg)",
  express: "Express 5 (pg)",
  django: "Django (ORM + templates)",
  flask: "Flask (psycopg2 + Jinja2)",
}

/** A running implementation. */
export interface ServerProcess {
  readonly name: Implementation
  readonly port: number
  /** CPU seconds used so far by the process and all its descendants. */
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
  /** Compiled Truss entry (`index.js` of the tsc output), or undefined for source. */
  trussEntry?: string
  /** gunicorn sync worker processes for Django and Flask. */
  pyWorkers: number
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

function command(name: Implementation, port: number, o: StartOptions): string[] {
  if (name === "django" || name === "flask") {
    const app = name === "django" ? "django_app:application" : "flask_app:app"
    return [
      "/usr/bin/python3",
      "-m",
      "gunicorn",
      "--worker-class",
      "sync",
      "--workers",
      String(o.pyWorkers),
      "--bind",
      `127.0.0.1:${port}`,
      "--chdir",
      here("./python"),
      "--log-level",
      "warning",
      "--backlog",
      "4096",
      app,
    ]
  }
  const file = here(`./servers/${name}.ts`)
  return [o.node, ...(o.nodeFlags ?? []), "--import", "tsx", file, String(port)]
}

/** Starts an implementation and waits until `/plaintext` answers 200. */
export async function startServer(
  name: Implementation,
  port: number,
  o: StartOptions,
): Promise<ServerProcess> {
  const [cmd, ...args] = [...o.pin, ...command(name, port, o)]
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: "production" }
  if (o.trussEntry) env.TRUSS_ENTRY = o.trussEntry
  const child = spawn(cmd!, args, { env, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000)
  }
  child.stdout!.on("data", keep)
  child.stderr!.on("data", keep)
  const deadline = Date.now() + 30_000
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL")
      throw new Error(`${name} did not start (exit ${child.exitCode}):\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const pid = child.pid!
  return { name, port, cpuSeconds: () => treeCpu(pid), stop: () => stop(child) }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/plaintext", agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on("error", () => resolve(false))
    req.setTimeout(2000, () => req.destroy())
    req.end()
  })
}

function treeCpu(pid: number): number {
  let ticks = 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    ticks = Number(fields[11]) + Number(fields[12])
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim()
      for (const c of children ? children.split(" ") : []) ticks += treeCpu(Number(c)) * 100
    }
  } catch {
    // the process ended between the listing and the read
  }
  return ticks / 100
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
  await exited
  clearTimeout(timer)
}
