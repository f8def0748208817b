import { access } from "node:fs/promises"
import { resolve } from "node:path"
import type { Command } from "commander"
import pc from "picocolors"
import type { App } from "../../kit.js"
import { loadApp } from "../app-module.js"
import { type CliContext, openProject, type Project } from "../context.js"
import { cliErrors } from "../errors.js"

/** `blog_post` → `BlogPost`: the name a model gets in the shell. */
export function replName(model: string): string {
  return model
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("")
}

/** What the shell puts in scope: app, db, config, models and each model by name. */
export function shellScope(project: Project | undefined, app: App | undefined) {
  const scope: Record<string, unknown> = { app, db: project?.db, config: project?.config }
  const models: Record<string, unknown> = {}
  for (const m of project?.config.models ?? []) {
    models[m.name] = m
    scope[replName(m.name)] = m
  }
  scope.models = models
  return scope
}

async function openOptional(ctx: CliContext, opts: { app?: string; config?: string }) {
  const configured =
    opts.config !== undefined || (await exists(resolve(ctx.cwd, "truss.config.ts")))
  const project = configured ? await openProject(ctx, opts.config) : undefined
  try {
    const app = await loadApp(ctx, opts.app).then(
      (l) => l.app,
      (err: unknown) => {
        if (opts.app === undefined && cliErrors.APP_NOT_FOUND.is(err)) return undefined
        throw err
      },
    )
    if (!project && !app) throw cliErrors.NO_PROJECT({ command: "shell", cwd: ctx.cwd })
    return { project, app }
  } catch (err) {
    await project?.close()
    throw err
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** `truss shell`: a Node REPL (top-level await) with the app, db and models loaded. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("shell")
    .description("a REPL with app, db, config and the models in scope (top-level await)")
    .option("--app <module>", "the module exporting the App (default: src/app.ts)")
    .option("-c, --config <path>", "config file (default: truss.config.ts, when present)")
    .action(async function shell(opts: { app?: string; config?: string }) {
      const { project, app } = await openOptional(ctx, opts)
      const scope = shellScope(project, app)
      const names = Object.keys(scope).filter((k) => scope[k] !== undefined)
      ctx.out(pc.dim(`Truss shell. In scope: ${names.join(", ")}. .exit to leave.`))
      const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true
      const { start } = await import("node:repl")
      const repl = start({ prompt: "truss> ", terminal, useGlobal: false, ignoreUndefined: true })
      Object.assign(repl.context, scope)
      try {
        await new Promise<void>((done) => repl.once("exit", done))
      } finally {
        await app?.close()
        await project?.close()
      }
    })
}
