/**
 * Checks that package.json `exports`, the public entries `src/<subpath>/index.ts` and
 * the built files in dist/ agree, and that every built entry loads. Run after a build:
 * `npm run check:exports`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

type Target = { types: string; default: string }
const root = join(import.meta.dirname, "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, Target>
  sideEffects: unknown
  bin?: Record<string, string>
}
const problems: string[] = []

if (pkg.sideEffects !== false) problems.push(`package.json: "sideEffects" must be false`)

// Folders whose index.ts is not a public subpath: the CLI's command contract (used by
// the batteries' commands), and truss/auth until it is complete (see docs/auth.md).
const NOT_PUBLIC = new Set(["cli"])

const sourceEntries = new Set(["."])
for (const dir of readdirSync(join(root, "src"), { withFileTypes: true })) {
  if (NOT_PUBLIC.has(dir.name)) continue
  if (dir.isDirectory() && existsSync(join(root, "src", dir.name, "index.ts")))
    sourceEntries.add(`./${dir.name}`)
}

for (const key of sourceEntries) {
  if (!(key in pkg.exports))
    problems.push(`src/${key.slice(2) || "."}/index.ts has no "${key}" in package.json exports`)
}
for (const [key, target] of Object.entries(pkg.exports)) {
  const sub = key === "." ? "" : `${key.slice(2)}/`
  if (!sourceEntries.has(key)) problems.push(`exports "${key}" has no src/${sub}index.ts`)
  const expected = { types: `./dist/${sub}index.d.ts`, default: `./dist/${sub}index.js` }
  if (target.types !== expected.types || target.default !== expected.default) {
    problems.push(`exports "${key}" should be ${JSON.stringify(expected)}`)
  }
  for (const file of [target.types, target.default]) {
    if (!existsSync(join(root, file)))
      problems.push(`exports "${key}" points at ${file}, which the build did not produce`)
  }
  if (existsSync(join(root, target.default))) {
    try {
      await import(pathToFileURL(join(root, target.default)).href)
    } catch (err) {
      problems.push(`exports "${key}": ${target.default} fails to load: ${(err as Error).message}`)
    }
  }
}
for (const [name, file] of Object.entries(pkg.bin ?? {})) {
  if (!existsSync(join(root, file)))
    problems.push(`bin "${name}" points at ${file}, which does not exist`)
}

if (problems.length > 0) {
  console.error(
    `check-exports: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  )
  process.exit(1)
}
console.log(
  `check-exports: ${Object.keys(pkg.exports).length} entries agree (${Object.keys(pkg.exports).join(", ")})`,
)
