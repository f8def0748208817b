/**
 * How the CLI finds the project's app: `--app <module>`, else `TRUSS_APP`, else
 * `"truss": { "app": … }` in package.json, else `src/app.ts`, `app.ts`, `src/app.js`,
 * `app.js`. The module exports the App as `app` or `default`, or a function
 * (`createApp` or `default`) that returns it; it must not call `listen()` itself.
 * @module
 */
import { access, readFile } from "node:fs/promises"
import { relative, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { App } from "../kit.js"
import type { CliContext } from "./context.js"
import { cliErrors } from "./errors.js"

/** Where the app module is looked for when nothing names it (`truss dev`, `routes`, …). */
export const SOURCE_CANDIDATES = ["src/app.ts", "app.ts", "src/app.js", "app.js"] as const
/** Where `truss start` looks for the compiled app. */
export const COMPILED_CANDIDATES = ["dist/app.js", "dist/src/app.js"] as const

interface PackageSettings {
  app?: string
  start?: string
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/** The `truss` field of the project's package.json, if any. */
async function packageSettings(cwd: string): Promise<PackageSettings> {
  try {
    const pkg = JSON.parse(await readFile(resolve(cwd, "package.json"), "utf8")) as {
      truss?: PackageSettings
    }
    return pkg.truss ?? {}
  } catch {
    return {}
  }
}

/**
 * The absolute path of the app module, or throws TRUSS_ERR_CLI_APP_NOT_FOUND.
 * @param which - `"source"` for dev/routes/check/shell, `"compiled"` for `truss start`.
 */
export async function resolveAppModule(
  ctx: CliContext,
  option: string | undefined,
  which: "source" | "compiled" = "source",
): Promise<string> {
  const env = ctx.env ?? process.env
  const pkg = await packageSettings(ctx.cwd)
  const named = option ?? env.TRUSS_APP ?? (which === "source" ? pkg.app : pkg.start)
  const candidates = named ? [named] : which === "source" ? SOURCE_CANDIDATES : COMPILED_CANDIDATES
  for (const c of candidates) {
    const path = resolve(ctx.cwd, c)
    if (await exists(path)) return path
  }
  throw cliErrors.APP_NOT_FOUND({ tried: candidates.join(", ") })
}

function isApp(value: unknown): value is App {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as App).routeTable === "function" &&
    typeof (value as App).listen === "function" &&
    typeof (value as App).fetch === "function"
  )
}

/** The App a loaded module exports (`app`, `default`, or what `createApp()` returns). */
export async function appFromModule(mod: Record<string, unknown>, name: string): Promise<App> {
  for (const key of ["app", "default"]) if (isApp(mod[key])) return mod[key]
  for (const key of ["createApp", "default"]) {
    const make = mod[key]
    if (typeof make === "function" && make.length === 0) {
      const made: unknown = await (make as () => unknown)()
      if (isApp(made)) return made
    }
  }
  throw cliErrors.APP_NOT_EXPORTED({
    module: name,
    exports: Object.keys(mod).join(", ") || "(none)",
  })
}

/** Resolves and imports the app module; returns the app and its path. */
export async function loadApp(
  ctx: CliContext,
  option: string | undefined,
  which: "source" | "compiled" = "source",
): Promise<{ app: App; path: string }> {
  const path = await resolveAppModule(ctx, option, which)
  const mod = (await ctx.importer(pathToFileURL(path).href)) as Record<string, unknown>
  return { app: await appFromModule(mod, relative(ctx.cwd, path) || path), path }
}
