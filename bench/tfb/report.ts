/**
 * TFB result tables: req/s per test and implementation, and the ratios Truss/Fastify,
 * Truss/Django and Truss/Flask, as aligned text and as Markdown.
 * @module
 */
import { type Implementation, LABEL } from "./server-process.js"

/** One implementation's medians in one test. */
export interface TestRow {
  name: Implementation
  rps: number
  p99ms: number
  /** Server CPU seconds per wall second (its whole process tree). */
  cpuShare: number
  /** CPU seconds per wall second of the PostgreSQL backends serving the TFB database. */
  pgShare: number
  errors: number
  /** req/s of every round, in round order. */
  samples: number[]
}

/** One test's rows. */
export interface TestResult {
  test: string
  path: string
  rows: TestRow[]
}

const n = (x: number) => Math.round(x).toLocaleString("en-US")

function ratio(r: TestResult, a: Implementation, b: Implementation): string {
  const x = r.rows.find((row) => row.name === a)
  const y = r.rows.find((row) => row.name === b)
  return x && y ? `${(x.rps / y.rps).toFixed(2)}×` : "–"
}

/** Server CPU microseconds per request: barely moved by other load on the machine. */
export function perRequest(row: TestRow): number {
  return (row.cpuShare / row.rps) * 1e6
}

/** The ratio line under a test's table. */
export function ratios(r: TestResult): string {
  return `Truss/Fastify ${ratio(r, "truss", "fastify")}, Truss raw/Fastify ${ratio(r, "truss-raw", "fastify")}, Truss/Django ${ratio(r, "truss", "django")}, Truss/Flask ${ratio(r, "truss", "flask")}`
}

/** An aligned text table of one test. */
export function textTable(r: TestResult): string {
  const head = [
    "implementation",
    "req/s",
    "p99 ms",
    "CPU",
    "CPU µs/req",
    "PG CPU",
    "rounds",
    "errors",
  ]
  const rows = r.rows.map((row) => [
    LABEL[row.name],
    n(row.rps),
    row.p99ms.toFixed(1),
    `${Math.round(row.cpuShare * 100)}%`,
    perRequest(row).toFixed(0),
    `${Math.round(row.pgShare * 100)}%`,
    row.samples.map(n).join(" / "),
    row.errors ? String(row.errors) : "",
  ])
  const all = [head, ...rows]
  const w = head.map((_, i) => Math.max(...all.map((x) => x[i]!.length)))
  const line = (x: string[]) =>
    x.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ")
  return [`${r.test} (${r.path})`, ...all.map(line), ratios(r)].join("\n")
}

/** The Markdown summary: one row per implementation, one column per test, then ratios. */
export function markdown(
  results: readonly TestResult[],
  failed: readonly { name: Implementation; problems: string[] }[],
): string {
  const names = [...new Set(results.flatMap((r) => r.rows.map((x) => x.name)))]
  const head = `| req/s (median) | ${results.map((r) => `${r.test}`).join(" | ")} |`
  const sep = `|---|${results.map(() => "--:|").join("")}`
  const body = names.map((name) => {
    const cells = results.map((r) => {
      const row = r.rows.find((x) => x.name === name)
      return row ? `${n(row.rps)}${row.errors ? ` (${row.errors} err)` : ""}` : "–"
    })
    return `| ${LABEL[name]} | ${cells.join(" | ")} |`
  })
  const ratioRow = (label: string, a: Implementation, b: Implementation) =>
    `| ${label} | ${results.map((r) => ratio(r, a, b)).join(" | ")} |`
  const cpu = names.map(
    (name) =>
      `| ${LABEL[name]} | ${results
        .map((r) => {
          const row = r.rows.find((x) => x.name === name)
          return row
            ? `${perRequest(row).toFixed(0)} µs (${Math.round(row.cpuShare * 100)}%, PG ${Math.round(row.pgShare * 100)}%)`
            : "–"
        })
        .join(" | ")} |`,
  )
  const lines = [
    head,
    sep,
    ...body,
    ratioRow("**Truss / Fastify**", "truss", "fastify"),
    ratioRow("Truss raw / Fastify", "truss-raw", "fastify"),
    ratioRow("**Truss / Django**", "truss", "django"),
    ratioRow("**Truss / Flask**", "truss", "flask"),
    "",
    "Server CPU per request in µs (whole process tree), the share of its core it used, and the CPU the PostgreSQL backends used meanwhile (of the same two cores):",
    "",
    `| implementation | ${results.map((r) => r.test).join(" | ")} |`,
    sep,
    ...cpu,
  ]
  for (const f of failed)
    lines.push(
      "",
      `${LABEL[f.name]} failed verification and was not timed: ${f.problems.join("; ")}`,
    )
  return lines.join("\n")
}
