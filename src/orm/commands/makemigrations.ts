import { confirm, isCancel } from "@clack/prompts"
import type { Command } from "commander"
import pc from "picocolors"
import type { CliContext } from "../../cli/index.js"
import { withProject } from "../../cli/index.js"
import { ormErrors } from "../errors.js"

interface Options {
  config?: string
  name?: string
  check?: boolean
  /** Collected `--rename` values, or false after `--no-rename`. */
  rename: string[] | false
}

const RENAME = /On (\w+), "(\w+)" was removed and "(\w+)" added/

/** `truss makemigrations`: writes a migration for model changes (or checks for them). */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("makemigrations")
    .description("write a migration file for the changes in your models")
    .option("-c, --config <path>", "config file", undefined)
    .option("-n, --name <name>", "suffix of the migration file name")
    .option("--check", "exit with an error when models and migrations differ (for CI)")
    .option("--rename <table.from=to>", "confirm a column rename (repeatable)", collect, [])
    .option("--no-rename", "treat removed + added columns as drop and add")
    .action(async function makemigrations(opts: Options) {
      const renames = Array.isArray(opts.rename) ? [...opts.rename] : []
      const declined: string[] = []
      const noRename = opts.rename === false
      const ask = ctx.confirm ?? askInTerminal
      await withProject(ctx, opts.config, async ({ config, migrator }) => {
        if (opts.check) {
          const changes = await migrator.changes(config.models, { renames, noRename: true })
          if (changes.length === 0) return ctx.out("No changes detected.")
          throw ormErrors.MIGRATIONS_OUT_OF_DATE({ changes: changes.map(describe).join(", ") })
        }
        for (;;) {
          try {
            const made = await migrator.makeMigrations(config.models, {
              renames,
              declined,
              noRename,
              ...(opts.name ? { name: opts.name } : {}),
            })
            if (!made) return ctx.out("No changes detected.")
            ctx.out(`${pc.green("Created")} ${made.path}`)
            for (const o of made.operations) ctx.out(`  - ${describe(o)}`)
            return
          } catch (err) {
            const m =
              err instanceof Error && ormErrors.MIGRATION_AMBIGUOUS_RENAME.is(err)
                ? RENAME.exec(err.message)
                : null
            if (!m || !ctx.interactive) throw err
            const answer = await ask(`Did you rename ${m[1]}.${m[2]} to ${m[3]}?`)
            if (answer === undefined)
              throw err
              // "No" drops and adds this pair only; other ambiguous pairs are still asked.
            ;(answer ? renames : declined).push(`${m[1]}.${m[2]}=${m[3]}`)
          }
        }
      })
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function describe(o: { op: string; table?: string; column?: unknown }): string {
  const col =
    typeof o.column === "string" ? o.column : (o.column as { name?: string } | undefined)?.name
  return [o.op, o.table, col].filter(Boolean).join(" ")
}

async function askInTerminal(message: string): Promise<boolean | undefined> {
  const answer = await confirm({ message })
  return isCancel(answer) ? undefined : answer
}
