import type { Command } from "commander"
import type { CliContext } from "../../cli/index.js"
import { withProject } from "../../cli/index.js"

/** `truss sqlmigrate NAME`: prints the SQL a migration runs, without running it. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("sqlmigrate")
    .description("print the SQL of a migration for this database")
    .argument("<name>", "migration name, e.g. 0001_initial")
    .option("-c, --config <path>", "config file")
    .option("--backward", "print the SQL that unapplies it")
    .action(async function sqlmigrate(name: string, opts: { config?: string; backward?: boolean }) {
      await withProject(ctx, opts.config, async ({ migrator }) => {
        for (const s of await migrator.sql(name, { backward: !!opts.backward })) ctx.out(`${s};`)
      })
    })
}
