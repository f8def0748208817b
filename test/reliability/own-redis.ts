/**
 * An own redis-server on a free port that a test may kill and restart: append-only file
 * with `appendfsync always` in a temporary folder, so what was acknowledged before a
 * kill -9 is there after the restart (sessions survive it).
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { freePort } from "../cache/redis-server.js"

export class OwnRedis {
  readonly dir = mkdtempSync(join(tmpdir(), "truss-rel-redis-"))
  #child: ChildProcess | undefined
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort())
    await redis.restart()
    return redis
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Starts the server (again) and resolves once it accepts connections. */
  async restart(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir]
    args.push("--appendonly", "yes", "--appendfsync", "always", "--save", "")
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "inherit"] })
    this.#child = child
    for await (const line of createInterface({ input: child.stdout! }))
      if (line.includes("Ready to accept connections")) return
    throw new Error(`redis-server did not start on port ${this.port}`)
  }

  /** kill -9, and waits for the exit. */
  async kill(): Promise<void> {
    const child = this.#child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once("exit", r))
    child.kill("SIGKILL")
    await exited
  }

  async destroy(): Promise<void> {
    await this.kill()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
