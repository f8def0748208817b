/**
 * `npm run bench -- <suite> [options]`: runs `bench/<suite>/run.ts`.
 *
 * A suite module exports `run(args: string[]): Promise<void>` (or `main`, or a default
 * function); a module with none of those just runs when imported. Suites so far:
 * `http` (Truss against node:http, Fastify, Hono and Express); others such as `orm`
 * or `tfb` plug in by adding their folder.
 * @module
 */
import { existsSync, readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

type SuiteMain = (args: string[]) => unknown

const here = dirname(fileURLToPath(import.meta.url))

function suites(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "run.ts")))
    .map((d) => d.name)
    .sort()
}

const [suite, ...args] = process.argv.slice(2)
const available = suites()
if (suite === undefined || suite === "--help" || suite === "-h") {
  console.log(`usage: npm run bench -- <suite> [options]\nsuites: ${available.join(", ")}`)
  process.exit(suite === undefined ? 1 : 0)
}
if (!available.includes(suite)) {
  console.error(`unknown bench suite "${suite}": use one of ${available.join(", ")}`)
  process.exit(1)
}
const mod = (await import(pathToFileURL(join(here, suite, "run.ts")).href)) as Record<
  string,
  unknown
>
const main = [mod.run, mod.main, mod.default].find((f): f is SuiteMain => typeof f === "function")
if (main) await main(args)
