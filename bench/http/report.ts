/**
 * Medians and tables: req/s, p99 and the ratio to node:http per scenario, plus the
 * Truss/Fastify ratio; as aligned text for the terminal and Markdown for the README.
 * Ratios are medians of per-round ratios (see {@link pairedRatio}).
 * @module
 */
import type { LoadResult } from "./load.js"
import type { Framework } from "./server-process.js"

/** One timed run, with the CPU time the server used during it. */
export interface Sample extends LoadResult {
  /** Server CPU seconds (all threads) during the run. */
  cpuSeconds: number
  /** Share of its core the server got (cpuSeconds / seconds). */
  share: number
  /** Requests per server CPU-second: throughput that other work on the machine barely skews. */
  perCpu: number
  /** Which attempt this was (runs disturbed by other processes are retried). */
  attempt: number
  /** How busy the busier benchmark core was, from other processes, just before the run. */
  othersBusy: number
  /** 1-minute load average when the run ended. */
  load: number
}

/** One framework's measured rounds in one scenario. */
export interface Row {
  framework: Framework
  samples: Sample[]
  /** Median req/s. */
  rps: number
  /** Median p99 latency in ms. */
  p99ms: number
  /** Median share of its core the server got. */
  cpuShare: number
  /** Median requests per server CPU-second. */
  perCpu: number
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
export function toRow(framework: Framework, samples: Sample[]): Row {
  return {
    framework,
    samples,
    rps: median(samples.map((s) => s.rps)),
    p99ms: median(samples.map((s) => s.p99ms)),
    cpuShare: median(samples.map((s) => s.share)),
    perCpu: median(samples.map((s) => s.perCpu)),
    errors: samples.reduce((n, s) => n + s.errors, 0),
  }
}

const LABEL: Record<Framework, string> = {
  "node-http": "node:http",
  "node-http-batteries": "node:http + batteries' work by hand",
  truss: "Truss",
  "truss-baseline": "Truss (baseline)",
  "truss-batteries": "Truss + batteries",
  fastify: "Fastify",
  hono: "Hono",
  express: "Express",
}

type Metric = "rps" | "perCpu"

/**
 * The median over rounds of a/b: each round runs every server back to back, so a
 * round's ratio compares runs that saw about the same interference from other work.
 */
export function pairedRatio(a: Row | undefined, b: Row | undefined, metric: Metric): number {
  if (!a || !b) return Number.NaN
  const n = Math.min(a.samples.length, b.samples.length)
  const ratios = Array.from({ length: n }, (_, i) => a.samples[i]![metric] / b.samples[i]![metric])
  return n === 0 ? Number.NaN : median(ratios)
}

function ratio(a: Row | undefined, b: Row | undefined, metric: Metric): string {
  const r = pairedRatio(a, b, metric)
  return Number.isNaN(r) ? "–" : `${r.toFixed(2)}×`
}

const HEAD = ["framework", "req/s", "p99 ms", "× node:http", "CPU", "req/CPU-s", "× node:http"]

function cells(result: ScenarioResult): string[][] {
  const base = result.rows.find((r) => r.framework === "node-http")
  const n = (x: number) => Math.round(x).toLocaleString("en-US")
  return result.rows.map((r) => [
    LABEL[r.framework],
    n(r.rps),
    r.p99ms.toFixed(2),
    ratio(r, base, "rps"),
    `${Math.round(r.cpuShare * 100)}%`,
    n(r.perCpu),
    ratio(r, base, "perCpu"),
    r.errors === 0 ? "" : `${r.errors} errors`,
  ])
}

/** The Truss/Fastify line under each table. */
export function trussVsFastify(result: ScenarioResult): string {
  const find = (f: Framework) => result.rows.find((r) => r.framework === f)
  const [t, f] = [find("truss"), find("fastify")]
  return `Truss / Fastify: ${ratio(t, f, "rps")} req/s, ${ratio(t, f, "perCpu")} req/CPU-s`
}

/** An aligned text table for the terminal. */
export function textTable(result: ScenarioResult): string {
  const head = [...HEAD, ""]
  const rows = [head, ...cells(result)]
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return [line(head), ...rows.slice(1).map(line), trussVsFastify(result)].join("\n")
}

/** A Markdown table for bench/README.md. */
export function markdownTable(result: ScenarioResult): string {
  const rows = cells(result).map((c) => `| ${c.slice(0, HEAD.length).join(" | ")} |`)
  return [
    `**${result.scenario}**`,
    "",
    `| ${HEAD.join(" | ")} |`,
    `|---|${"--:|".repeat(HEAD.length - 1)}`,
    ...rows,
    "",
    trussVsFastify(result),
  ].join("\n")
}
