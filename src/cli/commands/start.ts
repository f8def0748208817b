import { type Command, CommanderError } from "commander"
import pc from "picocolors"
import { resolveAppModule } from "../app-module.js"
import type { CliContext } from "../context.js"
import { cliErrors } from "../errors.js"

/** `truss start`: serves the compiled app (production): no TypeScript loader, no watcher. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("start")
    .description("serve the compiled app for production (default: dist/app.js)")
    .option("--app <module>", "the compiled module exporting the App (default: dist/app.js)")
    .option("-p, --port <port>", "port (default: PORT or 3000)")
    .option("--host <host>", "interface (default: HOST or 127.0.0.1; 0.0.0.0 in containers)")
    .action(async function start(opts: { app?: string; port?: string; host?: string }) {
      const path = await resolveAppModule(ctx, opts.app, "compiled")
      if (/\.[cm]?tsx?$/.test(path)) throw cliErrors.START_NEEDS_JS({ module: path })
      const { address, describeStartupError, serveModule } = await import("../serve/serve.js")
      const { port, host } = address(opts, ctx.env ?? process.env)
      try {
        const server = await serveModule(path, {
          port,
          host,
          cwd: ctx.cwd,
          out: ctx.out,
          err: ctx.err,
        })
        ctx.out(`${pc.green("Truss")} listening at ${server.url}/`)
      } catch (err) {
        for (const line of describeStartupError(err, port)) ctx.err(line)
        // Already explained above: exit 1 without printing it again.
        throw new CommanderError(1, "truss.start.failed", "the app did not start")
      }
    })
}
