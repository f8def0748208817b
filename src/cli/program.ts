/**
 * The `truss` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program, ctx)`; add a file and list it in {@link COMMANDS}.
 * @module
 */
import { Command, CommanderError } from "commander"
import pc from "picocolors"
import { TrussError } from "../kit.js"
import * as client from "./commands/client.js"
import * as makemigrations from "./commands/makemigrations.js"
import * as migrate from "./commands/migrate.js"
import * as showmigrations from "./commands/showmigrations.js"
import * as sqlmigrate from "./commands/sqlmigrate.js"
import type { CliContext } from "./context.js"

/** A command module: registers itself on the program. */
export interface CliCommand {
  register(program: Command, ctx: CliContext): void
}

/** Every command, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  makemigrations,
  migrate,
  showmigrations,
  sqlmigrate,
  client,
]

/** Builds the commander program for one run. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command("truss")
    .description("Truss: migrations and project tools")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.out(s.trimEnd()),
      writeErr: (s) => ctx.err(s.trimEnd()),
    })
  for (const c of COMMANDS) c.register(program, ctx)
  return program
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 *
 * @example
 * ```ts
 * // const code = await runCli(["showmigrations"], ctx)
 * ```
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    await createProgram(ctx).parseAsync([...argv], { from: "user" })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode
    if (err instanceof TrussError) {
      ctx.err(`${pc.red(err.code)} ${err.message}`)
      return 1
    }
    ctx.err(pc.red(err instanceof Error ? (err.stack ?? err.message) : String(err)))
    return 1
  }
}
