/**
 * What the single-server suites (cache, auth) share: building Truss as published,
 * starting and stopping a server process, and reading a process's CPU time.
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = fileURLToPath(new URL("../..", import.meta.url))

/** Node 24 from node_modules when installed (npm scripts run on it), else this Node. */
export function nodeBinary(): string {
  const pinned = join(root, "node_modules/.bin/node")
  return existsSync(pinned) ? pinned : process.execPath
}

/**
 * Compiles src/ with the package's tsc build (Truss as published) into
 * `bench/results/<name>-<pid>` and returns its `index.js`; `needs` is a file the build
 * must contain (e.g. `auth/index.js`).
 */
export function buildTruss(node: string, name: string, needs: string): string {
  const out = join(root, `bench/results/${name}-${process.pid}`)
  const tsc = join(root, "node_modules/typescript/bin/tsc")
  const args = ["-p", "tsconfig.build.json", "--outDir", out, "--declaration", "false"]
  try {
    execFileSync(node, [tsc, ...args, "--sourceMap", "false"], { cwd: root, stdio: "pipe" })
  } catch {
    // Type errors elsewhere in src/ still emit JavaScript; only a missing entry is fatal.
    console.warn("tsc reported type errors; using the emitted JS")
  }
  execFileSync(node, [join(root, "scripts/copy-assets.mjs")], {
    cwd: root,
    env: { ...process.env, ASSETS_OUT: out },
  })
  if (!existsSync(join(out, needs))) throw new Error(`building Truss gave no ${join(out, needs)}`)
  return join(out, "index.js")
}

/** utime + stime of a process from /proc, in seconds (CLK_TCK 100). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** SIGTERM, then waits for the exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  await exited
}

/** Spawns `cmd` and resolves once its output contains `marker`. */
export async function start(
  cmd: string[],
  marker: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const [bin, ...rest] = cmd
  const child = spawn(bin!, rest, {
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start:\n${output}`)), 30_000)
    const seen = (d: Buffer) => {
      output += d.toString()
      if (output.includes(marker)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on("data", seen)
    child.stderr!.on("data", seen)
    child.once("exit", (code) => reject(new Error(`${bin} exited with ${code}:\n${output}`)))
  })
  return child
}
