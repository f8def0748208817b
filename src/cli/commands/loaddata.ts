import { createReadStream } from "node:fs"
import { resolve } from "node:path"
import { createInterface } from "node:readline"
import type { Command } from "commander"
import pc from "picocolors"
import { type CliContext, withProject } from "../context.js"
import type { DumpLine } from "../data/codec.js"
import { loadRows, parseLine } from "../data/dump.js"
import { dumpOrder } from "../data/models.js"
import { summary } from "./dumpdata.js"

/** The dump lines of several files, in order, parsed lazily (blank lines skipped). */
async function* readLines(ctx: CliContext, files: readonly string[]): AsyncGenerator<DumpLine> {
  for (const file of files) {
    const lines = createInterface({
      input: createReadStream(resolve(ctx.cwd, file)),
      crlfDelay: Infinity,
    })
    let n = 0
    for await (const text of lines) {
      n++
      if (text.trim() !== "") yield parseLine(text, file, n)
    }
  }
}

/** `truss loaddata <file...>`: inserts rows written by `truss dumpdata`, in one transaction. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("loaddata")
    .description("insert rows from truss dumpdata files (one transaction; any database)")
    .argument("<files...>", "JSON-lines files written by truss dumpdata")
    .option("-c, --config <path>", "config file")
    .action(async function loaddata(files: string[], opts: { config?: string }) {
      await withProject(ctx, opts.config, async ({ config, db }) => {
        const counts = await loadRows(db, dumpOrder(config.models), readLines(ctx, files))
        const from = `${files.length} file${files.length === 1 ? "" : "s"}`
        ctx.out(`${pc.green("Installed")} ${summary(counts)} from ${from}.`)
      })
    })
}
