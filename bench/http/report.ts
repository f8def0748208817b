/**
 * Medians and tables: req/s, p99 and the ratio to node:http per scenario, plus the
 * Truss/Fastify ratio; as aligned text for the terminal and Markdown for the README.
 * @module
 */
import type { LoadResult } from "./load.js"
import type { Framework } from "./server-process.js"

/** One framework's measured rounds in one scenario. */
export interface Row {
  framework: Framework
  samples: LoadResult[]
  rps: number
  p99ms: number
  errors: number
  /** Lines in the request log (middleware scenario). */
  logLines?: number
}

/** One scenario's rows, in framework order. */
export interface ScenarioResult {
  scenario: string
  rows: Row[]
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Builds a row from its samples. */
export function toRow(framework: Framework, samples: LoadResult[]): Row {
  return {
    framework,
    samples,
    rps: median(samples.map((s) => s.rps)),
    p99ms: median(samples.map((s) => s.p99ms)),
    errors: samples.reduce((n, s) => n + s.errors, 0),
  }
}

const LABEL: Record<Framework, string> = {
  "node-http": "node:http",
  truss: "Truss",
  fastify: "Fastify",
  hono: "Hono",
  express: "Express",
}

function ratio(a: Row | undefined, b: Row | undefined): string {
  return a && b ? `${(a.rps / b.rps).toFixed(2)}×` : "–"
}

function cells(result: ScenarioResult): string[][] {
  const base = result.rows.find((r) => r.framework === "node-http")
  return result.rows.map((r) => [
    LABEL[r.framework],
    Math.round(r.rps).toLocaleString("en-US"),
    r.p99ms.toFixed(2),
    ratio(r, base),
    r.errors === 0 ? "" : `${r.errors} errors`,
  ])
}

/** The Truss/Fastify line under each table. */
export function trussVsFastify(result: ScenarioResult): string {
  const find = (f: Framework) => result.rows.find((r) => r.framework === f)
  return `Truss / Fastify: ${ratio(find("truss"), find("fastify"))}`
}

/** An aligned text table for the terminal. */
export function textTable(result: ScenarioResult): string {
  const head = ["framework", "req/s", "p99 ms", "× node:http", ""]
  const rows = [head, ...cells(result)]
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return [line(head), ...rows.slice(1).map(line), trussVsFastify(result)].join("\n")
}

/** A Markdown table for bench/README.md. */
export function markdownTable(result: ScenarioResult): string {
  const rows = cells(result).map((c) => `| ${c.slice(0, 4).join(" | ")} |`)
  return [
    `**${result.scenario}**`,
    "",
    "| framework | req/s | p99 ms | × node:http |",
    "|---|--:|--:|--:|",
    ...rows,
    "",
    trussVsFastify(result),
  ].join("\n")
}
