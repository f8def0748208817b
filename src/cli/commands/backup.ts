import { stat } from "node:fs/promises"
import { resolve } from "node:path"
import type { Command } from "commander"
import pc from "picocolors"
import { backupDatabase, restoreDatabase } from "../backup/index.js"
import { type CliContext, openProject } from "../context.js"
import { startProgress } from "../progress/index.js"

/** The project's database URL (`truss.config.ts`), read without keeping a connection. */
async function databaseUrl(ctx: CliContext, config: string | undefined): Promise<string> {
  const project = await openProject(ctx, config)
  await project.close()
  return project.config.database
}

const size = async (file: string) => `${((await stat(file)).size / 1024).toFixed(1)} KiB`

/** `truss backup <file>` and `truss restore <file>`: the whole database, in its own format. */
export function register(program: Command, ctx: CliContext): void {
  const env = ctx.env ?? process.env
  program
    .command("backup")
    .description(
      "copy the whole database to a file (SQLite backup API, pg_dump, mysqldump); safe while the app runs",
    )
    .argument("<file>", "the backup file to write (replaced)")
    .option("-c, --config <path>", "config file")
    .action(async function backup(file: string, opts: { config?: string }) {
      const url = await databaseUrl(ctx, opts.config)
      const path = resolve(ctx.cwd, file)
      const bar = startProgress(ctx.progress, env, "Backing up", 100)
      const engine = await backupDatabase(url, path, ctx.cwd, bar)
      bar.done()
      ctx.out(`${pc.green("Backed up")} the ${engine} database to ${file} (${await size(path)}).`)
    })
  program
    .command("restore")
    .description("replace the database's contents with a truss backup file of the same engine")
    .argument("<file>", "a file written by truss backup")
    .option("-c, --config <path>", "config file")
    .action(async function restore(file: string, opts: { config?: string }) {
      const url = await databaseUrl(ctx, opts.config)
      const bar = startProgress(ctx.progress, env, "Restoring", 100)
      const engine = await restoreDatabase(url, resolve(ctx.cwd, file), ctx.cwd, bar)
      bar.done()
      ctx.out(`${pc.green("Restored")} the ${engine} database from ${file}.`)
    })
}
