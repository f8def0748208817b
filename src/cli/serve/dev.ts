/**
 * The `truss dev` supervisor: runs the app in a child process with the TypeScript
 * loader, restarts it on the same port when files change (debounced, the old process
 * gone before the new one binds), and keeps watching after a startup error.
 * @module
 */
import { type ChildProcess, fork } from "node:child_process"
import { createRequire } from "node:module"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import pc from "picocolors"
import { type ProjectWatcher, watchProject } from "./watch.js"

/** What the supervisor needs. */
export interface DevOptions {
  readonly appPath: string
  readonly cwd: string
  readonly port: number
  readonly host: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** Quiet time after the last change before restarting, in ms. @default 100 */
  readonly debounceMs?: number
  out(line: string): void
  err(line: string): void
}

/** The `--import` argument for tsx, from the project first, then from Truss; none without tsx. */
export function typescriptLoader(cwd: string): string[] {
  for (const from of [join(cwd, "package.json"), import.meta.filename]) {
    try {
      return ["--import", pathToFileURL(createRequire(from).resolve("tsx")).href]
    } catch {
      // Not here: try the next place, then Node's own type stripping.
    }
  }
  return []
}

/** Runs and restarts the app; `stop()` ends the child and the watcher. */
export class DevServer {
  readonly #o: DevOptions
  readonly #loader: string[]
  #child: ChildProcess | undefined
  #watcher: ProjectWatcher | undefined
  #restarting: Promise<void> | undefined
  #stopped = false

  constructor(options: DevOptions) {
    this.#o = options
    this.#loader = typescriptLoader(options.cwd)
  }

  /** Starts the app and the watcher. */
  start(): void {
    this.#spawn()
    this.#watcher = watchProject(this.#o.cwd, this.#o.debounceMs ?? 100, (files) => {
      this.#o.out(pc.dim(`Changed ${files.join(", ")}: restarting…`))
      void this.restart()
    })
  }

  /**
   * Stops the running child, then starts a new one. A change during a restart needs no
   * second one: the new child is spawned after it and reads the files as they are then.
   */
  async restart(): Promise<void> {
    if (this.#restarting) return this.#restarting
    this.#restarting = (async () => {
      await this.#kill()
      if (!this.#stopped) this.#spawn()
    })().finally(() => {
      this.#restarting = undefined
    })
    return this.#restarting
  }

  /** Ends the child and stops watching. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#watcher?.close()
    await this.#kill()
  }

  #spawn(): void {
    const ext = import.meta.filename.endsWith(".ts") ? "ts" : "js"
    const script = join(import.meta.dirname, `child.${ext}`)
    const env = { ...this.#o.env, NODE_ENV: this.#o.env.NODE_ENV ?? "development" }
    const child = fork(script, [this.#o.appPath, String(this.#o.port), this.#o.host], {
      cwd: this.#o.cwd,
      env,
      execArgv: [...this.#loader, "--enable-source-maps"],
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    })
    this.#child = child
    child.on("message", (m: { type?: string; url?: string }) => {
      if (m.type === "ready")
        this.#o.out(`${pc.green("Truss dev server")} at ${pc.bold(`${m.url}/`)}`)
      if (m.type === "failed")
        this.#o.err(pc.red("The app did not start (above). Fix it and save: Truss restarts it."))
    })
    child.on("exit", (code, signal) => {
      if (this.#child === child) this.#child = undefined
      if (!this.#stopped && signal === null && code !== 0 && code !== 1)
        this.#o.err(pc.red(`The app exited with code ${code}; waiting for a change to restart.`))
    })
  }

  async #kill(): Promise<void> {
    const child = this.#child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()))
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
    await gone
    clearTimeout(timer)
  }
}
