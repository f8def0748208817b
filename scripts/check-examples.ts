/**
 * Type-checks every example: ```ts blocks in docs/*.md and README.md, and the
 * `@example` blocks of TSDoc comments under src/. Each block is compiled on its own
 * as a module that imports from "truss" like a user's code would.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const root = join(import.meta.dirname, "..")
const out = join(root, ".examples")
rmSync(out, { recursive: true, force: true })
mkdirSync(out)

const FENCE = /```ts\n([\s\S]*?)```/g
let count = 0
const sources = new Map<string, string>()

// Blocks that augment a module ("declare module") are compiled alone, so their
// augmentation cannot leak into the other examples.
const isolated: string[] = []

function emit(origin: string, code: string) {
  const file = `example-${++count}.ts`
  sources.set(file, origin)
  if (code.includes("declare module")) isolated.push(file)
  writeFileSync(join(out, file), `// from ${origin}\n${code}\nexport {}\n`)
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  )
}

for (const file of [join(root, "README.md"), ...walk(join(root, "docs"))]) {
  if (!file.endsWith(".md")) continue
  for (const m of readFileSync(file, "utf8").matchAll(FENCE)) emit(relative(root, file), m[1]!)
}
for (const file of walk(join(root, "src"))) {
  if (!file.endsWith(".ts") || /\.test(-d)?\.ts$/.test(file)) continue
  const text = readFileSync(file, "utf8")
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const body = comment[0].replace(/^\s*\/?\*+\/? ?/gm, "")
    for (const m of body.matchAll(FENCE)) emit(relative(root, file), m[1]!)
  }
}

const shared = [...sources.keys()].filter((f) => !isolated.includes(f))
const groups = [shared, ...isolated.map((f) => [f])]
let failed = false
groups.forEach((files, i) => {
  const config = join(out, `tsconfig.${i}.json`)
  const compilerOptions = { noUnusedLocals: false }
  writeFileSync(
    config,
    JSON.stringify({ extends: "../tsconfig.json", files, include: [], compilerOptions }),
  )
  try {
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", config], { stdio: "pipe" })
  } catch (err) {
    failed = true
    const output = String((err as { stdout?: Buffer }).stdout ?? err)
    console.error(
      output.replace(
        /\.examples\/(example-\d+\.ts)/g,
        (_all, f: string) => `${sources.get(f)} (${f})`,
      ),
    )
  }
})
if (failed) {
  console.error("check-examples: examples fail to compile (see .examples/)")
  process.exit(1)
}
console.log(`check-examples: ${count} examples compile`)
