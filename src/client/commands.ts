import { readFile, writeFile } from "node:fs/promises"
import { resolve } from "node:path"
import type { Command } from "commander"
import type { CliCommand, CliContext } from "../cli/index.js"
import { generateClient } from "./index.js"

/** `truss client generate SOURCE`: writes a typed client module from an OpenAPI document. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("client")
    .description("typed API clients")
    .command("generate")
    .description("generate a typed client .ts from an OpenAPI document (URL or JSON file)")
    .argument("<source>", "URL of /openapi.json, or a path to the JSON file")
    .option("-o, --out <file>", "write to this file instead of stdout")
    .option("--import-from <module>", "module that exports createClient", "truss/client")
    .action(async function generate(source: string, opts: { out?: string; importFrom: string }) {
      const text = /^https?:\/\//.test(source)
        ? await (await fetch(source, { headers: { accept: "application/json" } })).text()
        : await readFile(resolve(ctx.cwd, source), "utf8")
      const code = generateClient(JSON.parse(text) as Record<string, unknown>, {
        importFrom: opts.importFrom,
        source,
      })
      if (!opts.out) return ctx.out(code)
      await writeFile(resolve(ctx.cwd, opts.out), code)
      ctx.out(`wrote ${opts.out}`)
    })
}

/** The client's CLI commands: `client generate`. */
export const commands: readonly CliCommand[] = [{ register }]
