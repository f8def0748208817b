import type { Command } from "commander"
import { resolveAppModule } from "../app-module.js"
import type { CliContext } from "../context.js"

interface Options {
  app?: string
  port?: string
  host?: string
  debounce: string
}

/** `truss dev`: serves the app and restarts it on the same port when files change. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("dev")
    .description("run the app with reload on change (TypeScript, same port, debounced)")
    .option("--app <module>", "the module exporting the App (default: src/app.ts)")
    .option("-p, --port <port>", "port (default: PORT or 3000)")
    .option("--host <host>", "interface (default: HOST or 127.0.0.1)")
    .option("--debounce <ms>", "quiet time after a change before restarting", "100")
    .action(async function dev(opts: Options) {
      const env = ctx.env ?? process.env
      const appPath = await resolveAppModule(ctx, opts.app)
      const [{ DevServer }, { address }] = await Promise.all([
        import("../serve/dev.js"),
        import("../serve/serve.js"),
      ])
      const server = new DevServer({
        appPath,
        cwd: ctx.cwd,
        ...address(opts, env),
        env,
        debounceMs: Number(opts.debounce),
        out: ctx.out,
        err: ctx.err,
      })
      server.start()
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop)
          process.off("SIGTERM", stop)
          void server.stop().then(resolve)
        }
        process.once("SIGINT", stop)
        process.once("SIGTERM", stop)
      })
    })
}
