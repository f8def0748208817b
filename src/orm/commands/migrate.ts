import type { Command } from "commander"
import pc from "picocolors"
import type { CliContext } from "../../cli/index.js"
import { withProject } from "../../cli/index.js"

/** `truss migrate [target]` and `truss migrate --rollback [steps]`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("migrate")
    .description("apply migrations up to TARGET (all by default; 'zero' unapplies all)")
    .argument("[target]", "migration name to migrate to")
    .option("-c, --config <path>", "config file")
    .option("--rollback [steps]", "unapply the last STEPS migrations (default 1)")
    .action(async function migrate(
      target: string | undefined,
      opts: { config?: string; rollback?: string | boolean },
    ) {
      await withProject(ctx, opts.config, async ({ migrator }) => {
        const ran = opts.rollback
          ? await migrator.rollback(opts.rollback === true ? 1 : Number(opts.rollback))
          : await migrator.migrate(target)
        if (ran.length > 0)
          ctx.out(pc.green(`Done: ${ran.length} migration${ran.length === 1 ? "" : "s"}.`))
      })
    })
}
