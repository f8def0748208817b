/**
 * Serves an app module on a port: what `truss start` runs in its own process and what
 * each `truss dev` child runs. Startup errors are printed in colour with their code
 * and fix, then the process exits 1.
 * @module
 */
import { relative } from "node:path"
import { pathToFileURL } from "node:url"
import pc from "picocolors"
import { type App, TrussError } from "../../kit.js"
import { appFromModule } from "../app-module.js"

/** Where and how to serve. */
export interface ServeOptions {
  readonly port: number
  readonly host: string
  readonly cwd: string
  /** Writes a line to stdout. */
  out(line: string): void
  /** Writes a line to stderr. */
  err(line: string): void
}

/** A startup error as the developer should read it: code, message, first own frame. */
export function describeStartupError(err: unknown, port: number): string[] {
  const e = err as NodeJS.ErrnoException
  if (e?.code === "EADDRINUSE") {
    return [
      pc.red(pc.bold(`Port ${port} is already in use.`)),
      `Stop the other server, or pick another port: --port ${port + 1} (or PORT=${port + 1}).`,
    ]
  }
  if (err instanceof TrussError) return [pc.red(pc.bold(err.code)), err.message]
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err)
  const [first = "", ...rest] = text.split("\n")
  return [pc.red(pc.bold(first)), ...rest.filter((l) => !l.includes("node:internal")).slice(0, 8)]
}

/** Imports the module, finds its App and listens; resolves with the running server. */
export async function serveModule(path: string, options: ServeOptions): ReturnType<App["listen"]> {
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  const app = await appFromModule(mod, relative(options.cwd, path) || path)
  return app.listen({ port: options.port, host: options.host })
}

/** The port and host from options or the environment (PORT, HOST). */
export function address(
  opts: { port?: string; host?: string },
  env: Readonly<Record<string, string | undefined>>,
): { port: number; host: string } {
  const port = Number(opts.port ?? env.PORT ?? 3000)
  return { port, host: opts.host ?? env.HOST ?? "127.0.0.1" }
}
