/**
 * Checks that every export of every public entry (package.json `exports`) has TSDoc
 * with a summary and an `@example`. Examples themselves are compiled by
 * check-examples. Prints the exports that fall short and exits 1 if any do.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import ts from "typescript"

const root = join(import.meta.dirname, "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>
}
const entries = Object.keys(pkg.exports).map((key) =>
  join(root, "src", key === "." ? "index.ts" : `${key.slice(2)}/index.ts`),
)
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, "tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  },
)!
const program = ts.createProgram(entries, config.options)
const checker = program.getTypeChecker()
const missing: string[] = []
let total = 0

for (const entry of entries) {
  const source = program.getSourceFile(entry)
  if (!source) continue
  const moduleSymbol = checker.getSymbolAtLocation(source)
  if (!moduleSymbol) continue
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    total++
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
    const example = symbol.getJsDocTags(checker).some((t) => t.name === "example")
    const problems = [summary ? "" : "summary", example ? "" : "@example"].filter(Boolean)
    if (problems.length)
      missing.push(
        `${entry.slice(root.length + 1)}: ${exported.name} lacks ${problems.join(" and ")}`,
      )
  }
}

if (missing.length) {
  console.error(missing.join("\n"))
  console.error(`check-tsdoc: ${missing.length} of ${total} exports lack TSDoc`)
  process.exit(1)
}
console.log(`check-tsdoc: all ${total} exports have a summary and an @example`)
