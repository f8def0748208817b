// Prints the example's non-test source lines next to the RealWorld reference backends'.
// `npx tsx examples/realworld/count-lines.ts [dir …]` counts other checkouts the same way.
import { readdirSync, readFileSync } from "node:fs"
import { basename, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const SOURCE = /\.(ts|js|py|prisma)$/
// Tests and their tooling, generated migrations, build output, and this script.
const SKIP_DIR = /^(node_modules|dist|migrations|tests?|e2e|\..*)$/
const SKIP_FILE = /(\.(test|spec)\.[jt]s|^jest\..*|^test-app\.ts|^count-lines\.ts)$/

/** Source files under `dir` that are not tests, generated or built. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIR.test(e.name) ? [] : sourceFiles(join(dir, e.name))
    return SOURCE.test(e.name) && !SKIP_FILE.test(e.name) ? [join(dir, e.name)] : []
  })
}

/** Lines that are neither blank nor only a comment (`//`, `/* … *\/`, `#`, Python docstrings). */
export function codeLines(text: string, python: boolean): number {
  let n = 0
  let block: string | undefined
  for (const raw of text.split("\n")) {
    const line = raw.trim()
    if (block !== undefined) {
      if (line.includes(block)) block = undefined
      continue
    }
    if (line === "" || line.startsWith("//") || (python && line.startsWith("#"))) continue
    const open = python ? /^("""|''')/.exec(line)?.[1] : line.startsWith("/*") ? "*/" : undefined
    if (open !== undefined) {
      if (!line.slice(open === "*/" ? 2 : 3).includes(open)) block = open
      continue
    }
    n++
  }
  return n
}

function count(dir: string): { total: number; files: [string, number][] } {
  const files = sourceFiles(dir).map((f): [string, number] => [
    relative(dir, f),
    codeLines(readFileSync(f, "utf8"), f.endsWith(".py")),
  ])
  return { total: files.reduce((sum, [, n]) => sum + n, 0), files }
}

// Measured with this script on a checkout of each repository at the commit named (the
// default branch in December 2026); see docs/realworld.md.
const REFERENCES = [
  ["Django", "gothinkster/django-realworld-example-app@29c9d42", 886],
  ["Express", "gothinkster/node-express-realworld-example-app@30b68e1", 1386],
  ["NestJS", "lujakob/nestjs-realworld-example-app@c1c2cc4", 930],
] as const

const dirs = process.argv.slice(2)
if (dirs.length > 0) {
  for (const dir of dirs) console.log(`${basename(dir)}: ${count(dir).total} lines`)
} else {
  const ours = count(fileURLToPath(new URL(".", import.meta.url)))
  for (const [file, n] of ours.files.sort()) console.log(`${String(n).padStart(5)}  ${file}`)
  console.log(`${String(ours.total).padStart(5)}  Truss (examples/realworld, non-test source)`)
  for (const [name, repo, n] of REFERENCES) {
    console.log(`${String(n).padStart(5)}  ${name} (${repo}): ${(n / ours.total).toFixed(2)}x ours`)
  }
}
