/**
 * The `truss` command line. The commands come from the batteries (`batteries.ts`),
 * each loaded only when needed; a command exports `register(program, ctx)`.
 * @module
 */
import { Command, CommanderError } from "commander"
import pc from "picocolors"
import { TrussError } from "../kit.js"
import { BATTERY_COMMANDS } from "./batteries.js"
import type { CliContext } from "./context.js"

/** A command module: registers itself on the program. */
export interface CliCommand {
  register(program: Command, ctx: CliContext): void
}

/** The commands of the batteries `argv` needs: the one named, or all for help. */
async function loadCommands(argv: readonly string[]): Promise<CliCommand[]> {
  const first = argv.find((a) => !a.startsWith("-"))
  const named = BATTERY_COMMANDS.filter((b) => first !== undefined && b.names.includes(first))
  const wanted = named.length > 0 ? named : BATTERY_COMMANDS
  const loaded = await Promise.all(wanted.map((b) => b.load()))
  return loaded.flatMap((m) => m.commands)
}

/** Builds the commander program for one run, with the given commands. */
export function createProgram(ctx: CliContext, commands: readonly CliCommand[]): Command {
  const program = new Command("truss")
    .description("Truss: migrations and project tools")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.out(s.trimEnd()),
      writeErr: (s) => ctx.err(s.trimEnd()),
    })
  for (const c of commands) c.register(program, ctx)
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
    await createProgram(ctx, await loadCommands(argv)).parseAsync([...argv], { from: "user" })
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
