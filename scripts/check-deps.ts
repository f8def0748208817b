/**
 * The architecture's dependency rules, checked on every file under src/ (tests aside):
 *
 * - the core (everything outside a battery folder) imports no battery, and never `ws`;
 * - a battery imports the core only through `src/kit.ts`;
 * - a battery imports another battery only through that battery's `index.ts`, except
 *   that `src/cli/batteries.ts` lazily loads each battery's `commands` module;
 * - no runtime import cycle (type-only imports do not count).
 *
 * Prints each broken rule with file and line and exits 1 if there is any.
 * See docs/architecture.md.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import ts from "typescript"

/** Folders of src/ that are batteries; everything else in src/ is the core. */
export const BATTERIES = new Set([
  "admin",
  "auth",
  "cache",
  "cli",
  "client",
  "forms",
  "jobs",
  "mail",
  "ops",
  "orm",
  "realtime",
  "schema",
  "security",
  "sessions",
  "templates",
  "testing",
])
const CORE_FORBIDDEN_PACKAGES = new Set(["ws"])

const root = resolve(import.meta.dirname, "..")
const src = join(root, "src")

interface Edge {
  from: string // path relative to src/
  to: string // path relative to src/, or a package name
  line: number
  typeOnly: boolean
  dynamic: boolean
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(path)
    const isSource = d.name.endsWith(".ts") && !/\.test(-d)?\.ts$/.test(d.name)
    return isSource ? [path] : []
  })
}

function target(file: string, spec: string): string {
  if (spec === "truss") return "kit.ts" // the public core entry counts as the core
  if (spec.startsWith("truss/")) return `${spec.slice(6)}/index.ts`
  if (!spec.startsWith(".")) return spec
  return relative(src, resolve(dirname(file), spec)).replace(/\.js$/, ".ts")
}

/** Every import, export-from, dynamic import() and `declare module` of one file. */
export function edgesOf(file: string, text = readFileSync(file, "utf8")): Edge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const from = relative(src, file)
  const edges: Edge[] = []
  const add = (node: ts.Node, spec: string, typeOnly: boolean, dynamic: boolean) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1
    edges.push({ from, to: target(file, spec), line, typeOnly, dynamic })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      add(node, node.moduleSpecifier.text, typeOnly, false)
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, false)
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      add(node, node.name.text, true, false)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, false, true)
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return edges
}

/** The battery a src/-relative path belongs to, or undefined for the core. */
export function batteryOf(path: string): string | undefined {
  const top = path.split("/")[0]!
  return path.includes("/") && BATTERIES.has(top) ? top : undefined
}

function isCommandsModule(path: string, battery: string): boolean {
  return path === `${battery}/commands.ts` || path === `${battery}/commands/index.ts`
}

/** The rule an edge breaks, or undefined. */
export function violation(edge: Edge): string | undefined {
  const fromBattery = batteryOf(edge.from)
  const isPackage = !edge.to.endsWith(".ts")
  if (isPackage) {
    if (fromBattery === undefined && CORE_FORBIDDEN_PACKAGES.has(edge.to))
      return `the core imports "${edge.to}"; only a battery may`
    return undefined
  }
  const toBattery = batteryOf(edge.to)
  if (fromBattery === undefined) {
    return toBattery === undefined
      ? undefined
      : `the core imports the ${toBattery} battery (${edge.to})`
  }
  if (toBattery === fromBattery) return undefined
  if (toBattery === undefined) {
    return edge.to === "kit.ts"
      ? undefined
      : `${fromBattery} imports the core's ${edge.to}; use src/kit.ts`
  }
  if (edge.to === `${toBattery}/index.ts`) return undefined
  if (edge.from === "cli/batteries.ts" && edge.dynamic && isCommandsModule(edge.to, toBattery))
    return undefined
  return `${fromBattery} imports ${edge.to}; import the ${toBattery} battery through ${toBattery}/index.ts`
}

/** Runtime import cycles (type-only and dynamic imports aside), each as a path list. */
export function cycles(edges: readonly Edge[]): string[][] {
  const graph = new Map<string, string[]>()
  for (const e of edges) {
    if (e.typeOnly || e.dynamic || !e.to.endsWith(".ts")) continue
    graph.set(e.from, [...(graph.get(e.from) ?? []), e.to])
  }
  const found: string[][] = []
  const state = new Map<string, "open" | "done">()
  const stack: string[] = []
  const walk = (node: string) => {
    state.set(node, "open")
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) walk(next)
    }
    stack.pop()
    state.set(node, "done")
  }
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node)
  return found
}

if (process.argv[1] === import.meta.filename) {
  const edges = sourceFiles(src).flatMap((f) => edgesOf(f))
  const problems = edges.flatMap((e) => {
    const rule = violation(e)
    return rule ? [`src/${e.from}:${e.line}: ${rule}`] : []
  })
  for (const cycle of cycles(edges)) problems.push(`import cycle: ${cycle.join(" -> ")}`)
  for (const p of problems) console.error(p)
  console.log(
    problems.length === 0
      ? `dependency rules hold across ${new Set(edges.map((e) => e.from)).size} files`
      : `${problems.length} dependency problem(s)`,
  )
  process.exitCode = problems.length === 0 ? 0 : 1
}
