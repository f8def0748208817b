import { createWriteStream } from "node:fs"
import { resolve } from "node:path"
import { finished } from "node:stream/promises"
import type { Command } from "commander"
import pc from "picocolors"
import { type CliContext, withProject } from "../context.js"
import { dumpRows } from "../data/dump.js"
import { dumpOrder, pickModels } from "../data/models.js"

/** `n rows of note, m rows of tag` for the summary lines. */
export function summary(counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const parts = [...counts].map(([m, n]) => `${m} ${n}`).join(", ")
  return `${total} row${total === 1 ? "" : "s"} (${parts || "no models"})`
}

/** `truss dumpdata [model...] [-o file]`: every row of the models as JSON lines. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("dumpdata")
    .description("write the models' rows as portable JSON lines (all models by default)")
    .argument("[models...]", "model names (default: every model in truss.config.ts)")
    .option("-c, --config <path>", "config file")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async function dumpdata(names: string[], opts: { config?: string; output?: string }) {
      await withProject(ctx, opts.config, async ({ config, db }) => {
        const models = pickModels(dumpOrder(config.models), names)
        if (!opts.output) {
          await dumpRows(db, models, (line) => ctx.out(line))
          return
        }
        const path = resolve(ctx.cwd, opts.output)
        const file = createWriteStream(path)
        const counts = await dumpRows(db, models, (line) => {
          if (!file.write(`${line}\n`)) return new Promise((r) => file.once("drain", r))
        })
        file.end()
        await finished(file)
        ctx.out(`${pc.green("Dumped")} ${summary(counts)} to ${opts.output}.`)
      })
    })
}
