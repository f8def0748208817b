/**
 * What the Node TFB servers share: argv parsing, the payloads, the fortune template
 * path, the batched UPDATE of TFB's rules and the "listening" line the runner waits for.
 * @module
 */
import { fileURLToPath } from "node:url"
import { EXTRA_FORTUNE } from "../db.js"

/** The JSON test's message; serialized per request. */
export const MESSAGE = "Hello, World!"
/** The plaintext body. */
export const PLAINTEXT = "Hello, World!"
/** Folder holding `fortunes.tmpl` (the same file serves LiquidJS, Jinja2 and Django). */
export const TEMPLATE_DIR = fileURLToPath(new URL("../templates", import.meta.url))
/** PostgreSQL connections per server process. */
export const POOL_SIZE = Number(process.env.TFB_POOL ?? 16)
/** Pipelined PostgreSQL connections of the Truss ORM server (`connect({ pipeline })`). */
export const PIPELINE = Number(process.env.TFB_PIPELINE ?? 4)

/** The port from argv. */
export function port(): number {
  const n = Number(process.argv[2] ?? process.env.PORT ?? 3000)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`invalid port "${process.argv[2]}"`)
  return n
}

/** A fortune row. */
export interface Fortune {
  id: number
  message: string
}

/** Adds the request-time fortune and sorts by message, in place. */
export function withExtraSorted<F extends Fortune>(rows: F[], extra: F): F[] {
  rows.push(extra)
  return rows.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0))
}

/** The request-time fortune as a plain row. */
export const EXTRA: Fortune = { id: 0, message: EXTRA_FORTUNE }

/**
 * One UPDATE for all rows of a request (allowed by TFB's rules), rows sorted by id
 * so concurrent requests lock rows in the same order and never deadlock.
 */
export function batchUpdate(rows: readonly { id: number; randomNumber: number }[]): {
  text: string
  values: number[]
} {
  const sorted = [...rows].sort((a, b) => a.id - b.id)
  const values: number[] = []
  const tuples: string[] = []
  for (const r of sorted) {
    tuples.push(`($${values.length + 1}::int,$${values.length + 2}::int)`)
    values.push(r.id, r.randomNumber)
  }
  return {
    text: `UPDATE world SET randomnumber = v.r FROM (VALUES ${tuples.join(",")}) AS v(id, r) WHERE world.id = v.id`,
    values,
  }
}

/** Prints the line the runner waits for; exits cleanly on SIGTERM so --cpu-prof is written. */
export function ready(name: string, p: number): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(0))
  }
  process.stdout.write(`${name} listening on ${p}\n`)
}
