import { access } from "node:fs/promises"
import { resolve } from "node:path"
import type { Command } from "commander"
import type { App } from "../../kit.js"
import { loadApp } from "../app-module.js"
import { probeApp } from "../checks/probe.js"
import { formatReport, runChecks } from "../checks/run.js"
import { type CliContext, openProject, type Project } from "../context.js"
import { cliErrors } from "../errors.js"

interface Options {
  app?: string
  config?: string
  deploy?: boolean
  host: string
  silence: string[]
  failLevel: "error" | "warning"
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

async function optionalApp(ctx: CliContext, option: string | undefined): Promise<App | undefined> {
  try {
    return (await loadApp(ctx, option)).app
  } catch (err) {
    if (option === undefined && cliErrors.APP_NOT_FOUND.is(err)) return undefined
    throw err
  }
}

async function optionalProject(ctx: CliContext, option: string | undefined) {
  if (option === undefined && !(await exists(resolve(ctx.cwd, "truss.config.ts")))) return undefined
  return openProject(ctx, option)
}

/** `truss check [--deploy]`: Django-style system checks with ids and hints. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("check")
    .description("inspect the project for problems (--deploy: production settings too)")
    .option("--app <module>", "the module exporting the App (default: src/app.ts)")
    .option("-c, --config <path>", "config file (default: truss.config.ts, when present)")
    .option("--deploy", "also run the deployment checks (debug, secrets, HTTPS, cookies, hosts)")
    .option("--host <name>", "the Host the probe requests use", "localhost")
    .option("--silence <id>", "ignore a check id (repeatable)", collect, [])
    .option("--fail-level <level>", "exit 1 from this level up: error or warning", "error")
    .action(async function check(opts: Options) {
      const app = await optionalApp(ctx, opts.app)
      const project: Project | undefined = await optionalProject(ctx, opts.config)
      if (!app && !project) throw cliErrors.NO_PROJECT({ command: "check", cwd: ctx.cwd })
      try {
        const probe = app && opts.deploy ? await probeApp(app, opts.host) : undefined
        const target = { app, project, probe, env: ctx.env ?? process.env }
        const found = await runChecks(target, {
          deploy: opts.deploy === true,
          silence: opts.silence,
        })
        for (const line of formatReport(found)) ctx.out(line)
        const failing = found.filter((m) => m.level === "error" || opts.failLevel === "warning")
        if (failing.length > 0) throw cliErrors.CHECKS_FAILED({ count: failing.length })
      } finally {
        await project?.close()
        await app?.close()
      }
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}
