import { createReadStream } from "node:fs"
import { readFile } from "node:fs/promises"
import { resolve } from "node:path"
import { createInterface } from "node:readline"
import type { Command } from "commander"
import pc from "picocolors"
import { type CliContext, withProject } from "../context.js"
import type { DumpLine } from "../data/codec.js"
import { loadRows, parseLine } from "../data/dump.js"
import { dumpOrder } from "../data/models.js"
import { type Progress, progressEnabled, startProgress } from "../progress/index.js"
import { summary } from "./dumpdata.js"

/** The dump lines of several files, in order, parsed lazily (blank lines skipped). */
async function* readLines(
  ctx: CliContext,
  files: readonly string[],
  bar: Progress,
): AsyncGenerator<DumpLine> {
  for (const file of files) {
    const lines = createInterface({
      input: createReadStream(resolve(ctx.cwd, file)),
      crlfDelay: Infinity,
    })
    let n = 0
    for await (const text of lines) {
      n++
      if (text.trim() === "") continue
      yield parseLine(text, file, n)
      bar.tick()
    }
  }
}

/** The non-blank lines of the files. */
async function countRows(ctx: CliContext, files: readonly string[]): Promise<number> {
  let n = 0
  for (const file of files) {
    for (const line of (await readFile(resolve(ctx.cwd, file), "utf8")).split("\n")) {
      if (line.trim() !== "") n++
    }
  }
  return n
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
        const env = ctx.env ?? process.env
        // The bar's total is the files' rows: counted first, only when a bar is drawn.
        const total = progressEnabled(ctx.progress, env) ? await countRows(ctx, files) : 0
        const bar = startProgress(ctx.progress, env, "Installing", total)
        const counts = await loadRows(db, dumpOrder(config.models), readLines(ctx, files, bar))
        bar.done()
        const from = `${files.length} file${files.length === 1 ? "" : "s"}`
        ctx.out(`${pc.green("Installed")} ${summary(counts)} from ${from}.`)
      })
    })
}
