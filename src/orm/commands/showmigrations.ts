import type { Command } from "commander"
import type { CliContext } from "../../cli/index.js"
import { withProject } from "../../cli/index.js"

/** `truss showmigrations`: lists migrations with [X] for applied ones. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("showmigrations")
    .description("list migrations and whether each is applied")
    .option("-c, --config <path>", "config file")
    .action(async function showmigrations(opts: { config?: string }) {
      await withProject(ctx, opts.config, async ({ migrator }) => {
        const all = await migrator.status()
        if (all.length === 0) ctx.out("(no migrations)")
        for (const m of all) ctx.out(`[${m.applied ? "X" : " "}] ${m.name}`)
      })
    })
}
