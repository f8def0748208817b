/**
 * The `truss` CLI proper, loaded by `bin.ts` once the Node.js version is known to be fine.
 * @module
 */
import { runCli } from "./program.js"

/** Imports TypeScript config and migration files through tsx when it is installed. */
async function importer(url: string): Promise<unknown> {
  const name = "tsx/esm/api"
  let tsImport: ((url: string, parent: string) => Promise<unknown>) | undefined
  try {
    ;({ tsImport } = (await import(name)) as { tsImport: typeof tsImport })
  } catch {
    // No tsx: Node 22.18+ strips types from .ts files itself.
  }
  if (!tsImport) return import(url)
  const mod = (await tsImport(url, import.meta.url)) as Record<string, unknown>
  // Outside a "type": "module" package tsx loads the file as CommonJS; unwrap its default.
  const inner = mod.default as Record<string, unknown> | undefined
  return "module.exports" in mod && inner && "default" in inner
    ? { ...mod, default: inner.default }
    : mod
}

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  importer,
  progress: process.stdout,
  interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
})
