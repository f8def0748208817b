import type { Command } from "commander"
import pc from "picocolors"
import type { CliContext } from "../../cli/index.js"
import { type Progress, progressEnabled, startProgress, withProject } from "../../cli/index.js"

/** A bar is drawn from this many migrations up; fewer finish before one would help. */
export const MIGRATE_BAR_FROM = 4

/** Each migration with whether it is applied, in name order (`Migrator.status()`). */
type Status = readonly { readonly name: string; readonly applied: boolean }[]

/**
 * How many migrations `migrate(target)` runs: the applied ones after `target` (rolled
 * back) and the pending ones up to it. Unknown targets count 0 (migrate then throws).
 */
export function migrationsToRun(status: Status, target?: string): number {
  const end =
    target === undefined
      ? status.length
      : target === "zero"
        ? 0
        : status.findIndex((m) => m.name === target) + 1
  if (target !== undefined && target !== "zero" && end === 0) return 0
  return status.filter((m, i) => (i < end ? !m.applied : m.applied)).length
}

/** Where `--rollback STEPS` migrates to: the migration to keep, or "zero". */
function rollbackTarget(status: Status, steps: number): string {
  const applied = status.filter((m) => m.applied)
  return applied[applied.length - 1 - steps]?.name ?? "zero"
}

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
      // While a bar is drawn, the migrator's lines (names and SQL) would break it: each
      // finished migration moves the bar instead, and the summary line follows.
      let bar: Progress | undefined
      const quiet: CliContext = {
        ...ctx,
        out(line) {
          if (bar === undefined) ctx.out(line)
          else if (/^(Applied|Unapplied) /.test(line)) bar.tick()
        },
      }
      await withProject(quiet, opts.config, async ({ migrator }) => {
        const env = ctx.env ?? process.env
        if (progressEnabled(ctx.progress, env)) {
          const status = await migrator.status()
          const to = opts.rollback
            ? rollbackTarget(status, opts.rollback === true ? 1 : Number(opts.rollback))
            : target
          const total = migrationsToRun(status, to)
          if (total >= MIGRATE_BAR_FROM) bar = startProgress(ctx.progress, env, "Migrating", total)
        }
        try {
          const ran = opts.rollback
            ? await migrator.rollback(opts.rollback === true ? 1 : Number(opts.rollback))
            : await migrator.migrate(target)
          bar?.done()
          bar = undefined
          if (ran.length > 0)
            ctx.out(pc.green(`Done: ${ran.length} migration${ran.length === 1 ? "" : "s"}.`))
        } finally {
          // A failed migration ends the bar's line, so the error starts on its own.
          if (bar !== undefined) ctx.progress?.write("\n")
        }
      })
    })
}
