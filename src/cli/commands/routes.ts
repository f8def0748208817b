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
}

/** The app's routes as rows, in registration order. */
export function routeLines(routes: readonly RouteDescription[]): RouteLine[] {
  return routes.map((r) => ({ method: r.method, path: r.path, name: r.name ?? "" }))
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

/** `truss routes [--app module] [--json]`: lists method, path and name of every route. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("routes")
    .description("list the app's routes: method, path and name")
    .option("--app <module>", "the module exporting the App (default: src/app.ts)")
    .option("--json", "print JSON instead of a table")
    .action(async function routes(opts: { app?: string; json?: boolean }) {
      const { app } = await loadApp(ctx, opts.app)
      const lines = routeLines(app.routeTable())
      if (opts.json) return ctx.out(JSON.stringify(lines, null, 2))
      if (lines.length === 0) return ctx.out("(no routes)")
      const [head, ...rows] = table(
        ["METHOD", "PATH", "NAME"],
        lines.map((l) => [l.method, l.path, l.name]),
      )
      ctx.out(pc.bold(head ?? ""))
      for (const r of rows) ctx.out(r)
    })
}
