/**
 * What every CLI command gets: output streams, the working folder, and a loader for
 * the project's `truss.config.ts`.
 * @module
 */
import { access } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Database, Migrator, TrussConfig } from "../orm/index.js"
import type { ProgressStream } from "./progress/index.js"

/** I/O and environment of one CLI run; tests pass their own. */
export interface CliContext {
  readonly cwd: string
  /** Writes a line to stdout. */
  out(line: string): void
  /** Writes a line to stderr. */
  err(line: string): void
  /** Imports a module by URL; the bin makes it TypeScript-aware with tsx when installed. */
  importer(url: string): Promise<unknown>
  /** Where progress bars are drawn (stdout in the bin); none when unset. */
  readonly progress?: ProgressStream
  /** True when a person can answer prompts. */
  readonly interactive: boolean
  /** Environment variables the commands read (`TRUSS_APP`, `PORT`, …). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Asks a yes/no question; undefined when cancelled. @default a @clack/prompts confirm */
  confirm?(message: string): Promise<boolean | undefined>
  /**
   * Asks for a line of text (hidden when `secret`); undefined when cancelled.
   * @default a @clack/prompts text or password prompt
   */
  ask?(message: string, options?: { secret?: boolean }): Promise<string | undefined>
}

/** An opened project: config, database and migrator. Call `close()` when done. */
export interface Project {
  readonly config: Readonly<Required<TrussConfig>>
  readonly db: Database
  readonly migrator: Migrator
  close(): Promise<void>
}

/** Loads `truss.config.ts` (or `--config`), connects and builds the migrator. */
export async function openProject(
  ctx: CliContext,
  configOption: string | undefined,
): Promise<Project> {
  // Loaded here, not at the top: `truss start`, `dev` and `routes` never pay for the ORM.
  const { connect, defineConfig, Migrator, ormErrors } = await import("../orm/index.js")
  const path = resolve(ctx.cwd, configOption ?? "truss.config.ts")
  try {
    await access(path)
  } catch {
    throw ormErrors.CONFIG_NOT_FOUND({ path })
  }
  const mod = (await ctx.importer(pathToFileURL(path).href)) as { default: TrussConfig }
  const config = defineConfig(mod.default)
  const db = await connect(config.database)
  const dir = resolve(dirname(path), config.migrations)
  const migrator = new Migrator(db, { dir, log: (line) => ctx.out(line), importer: ctx.importer })
  return { config, db, migrator, close: () => db.close() }
}

/** Opens the project, runs `fn`, and always closes the database. */
export async function withProject<T>(
  ctx: CliContext,
  configOption: string | undefined,
  fn: (project: Project) => Promise<T>,
): Promise<T> {
  const project = await openProject(ctx, configOption)
  try {
    return await fn(project)
  } finally {
    await project.close()
  }
}
