/**
 * What every benchmark server shares: the scenarios, their payloads, the security
 * headers of the `middleware` scenario, and argv/env parsing.
 * @module
 */
import { randomBytes } from "node:crypto"
import { openSync, writeSync } from "node:fs"
import { type Logger, pino } from "pino"

/** The four scenarios of issue 2's benchmark. */
export const SCENARIOS = ["json", "plaintext", "routes", "middleware"] as const
/** One scenario name. */
export type Scenario = (typeof SCENARIOS)[number]

/** The JSON scenario's message; serialized per request. */
export const MESSAGE = "Hello, World!"
/** The plaintext scenario's body. */
export const PLAINTEXT = "Hello, World!"

/** The headers the `middleware` scenario's security middleware sets, in order. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "cross-origin-opener-policy": "same-origin",
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
}

/** The security headers as an array of pairs, for loops in the hot path. */
export const SECURITY_HEADER_PAIRS: readonly (readonly [string, string])[] =
  Object.entries(SECURITY_HEADERS)

/** Where a framework's request log goes in the `middleware` scenario. */
export function logFile(framework: string): string {
  return `/tmp/truss-bench-${framework}.log`
}

/** Scenario and port from argv (`<scenario> <port>`) or env (`SCENARIO`, `PORT`). */
export function serverArgs(): { scenario: Scenario; port: number } {
  const scenario = process.argv[2] ?? process.env.SCENARIO ?? "json"
  const port = Number(process.argv[3] ?? process.env.PORT ?? 3000)
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new Error(`unknown scenario "${scenario}": use one of ${SCENARIOS.join(", ")}`)
  }
  if (!Number.isInteger(port) || port <= 0) throw new Error(`invalid port "${port}"`)
  return { scenario: scenario as Scenario, port }
}

/**
 * The request logger the non-Truss servers use: pino writing asynchronously to a
 * truncated file, the same destination Truss builds for `logger: { destination }`.
 */
export function fileLogger(framework: string): Logger {
  const path = logFile(framework)
  writeSync(openSync(path, "w"), "")
  return pino(pino.destination({ dest: path, sync: false }))
}

/** Truncates a log file, for Truss whose app opens the file itself (appending). */
export function truncateLog(framework: string): string {
  const path = logFile(framework)
  writeSync(openSync(path, "w"), "")
  return path
}

/**
 * Tells the runner which server is up, on stdout. Also exits cleanly on SIGTERM/SIGINT
 * where the framework has no handler, so `--cpu-prof` profiles and async logs get written.
 */
export function ready(framework: string, scenario: Scenario, port: number): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(0))
  }
  process.stdout.write(`${framework} ${scenario} listening on ${port}\n`)
}

const REQUEST_ID = /^[\w\-.:]{1,200}$/

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))
let prefix = ""
let count = 256

/**
 * A valid incoming `x-request-id`, or a new one as Truss makes it: 120 random bits shared
 * by a batch of 256 ids, then a count, as 32 hex digits.
 */
export function requestId(incoming: string | string[] | undefined): string {
  if (typeof incoming === "string" && REQUEST_ID.test(incoming)) return incoming
  if (count === 256) {
    prefix = randomBytes(15).toString("hex")
    count = 0
  }
  return prefix + HEX_PAIRS[count++]
}
