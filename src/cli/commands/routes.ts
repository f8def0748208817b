import { relative } from "node:path"
import type { Command } from "commander"
import pc from "picocolors"
import type { RouteDescription } from "../../kit.js"
import { loadApp } from "../app-module.js"
import type { CliContext } from "../context.js"

/** One route as `truss routes` prints it. */
export interface RouteLine {
  method: string
  path: string
  name: string
  /** Middleware names, app-wide first, comma-separated. */
  middleware: string
  /** Where the route is declared, `file:line` relative to the project. */
  handler: string
}

/** The app's routes as rows, in registration order; files relative to `cwd`. */
export function routeLines(routes: readonly RouteDescription[], cwd: string): RouteLine[] {
  return routes.map((r) => ({
    method: r.method,
    path: r.path,
    name: r.name ?? "",
    middleware: r.middleware.join(","),
    handler: fileLine(r.location, cwd),
  }))
}

/** `/abs/src/app.ts:12:3` as `src/app.ts:12`. */
function fileLine(location: string, cwd: string): string {
  const m = /^(.*):(\d+):\d+$/.exec(location)
  if (!m) return location
  // A file URL may carry a query (a loader's cache-busting `?t=…`): drop it.
  const file = m[1]!.startsWith("file://") ? new URL(m[1]!).pathname : m[1]!.replace(/\?.*$/, "")
  return `${relative(cwd, file)}:${m[2]}`
}

/** Pads each column to its widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

/** `truss routes [--app module] [--json]`: method, path, name, middleware and handler file:line of every route. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("routes")
    .description("list the app's routes: method, path, name, middleware and handler file:line")
    .option("--app <module>", "the module exporting the App (default: src/app.ts)")
    .option("--json", "print JSON instead of a table")
    .action(async function routes(opts: { app?: string; json?: boolean }) {
      const { app } = await loadApp(ctx, opts.app)
      const lines = routeLines(app.routeTable(), ctx.cwd)
      if (opts.json) return ctx.out(JSON.stringify(lines, null, 2))
      if (lines.length === 0) return ctx.out("(no routes)")
      const [head, ...rows] = table(
        ["METHOD", "PATH", "NAME", "MIDDLEWARE", "HANDLER"],
        lines.map((l) => [l.method, l.path, l.name, l.middleware, l.handler]),
      )
      ctx.out(pc.bold(head ?? ""))
      for (const r of rows) ctx.out(r)
    })
}
