/**
 * Steady traffic with counts: `concurrency` loops each send one request after another
 * (`send(i)` builds request i) until stopped, and every request is tallied in the phase
 * it ended in: answered with which status and `code`, or lost (no answer within
 * `timeoutMs`, or the connection failed). A request that began in one phase and ended in
 * another counts in a tally of its own, `"before>outage"`: under load a request can take
 * hundreds of milliseconds, and one sent before a fault must not count as the fault's.
 * @module
 */

/** The counts of one phase. */
export interface Tally {
  /** When the phase began, in ms since the traffic started. */
  at: number
  sent: number
  /** `"200"`, `"500 TRUSS_ERR_INTERNAL"`, … → how many. */
  statuses: Record<string, number>
  /** Requests with no answer: `"TimeoutError"`, `"TypeError: fetch failed"`, … → how many. */
  lost: Record<string, number>
  /** The slowest request's time in ms, and every request over `slowMs` ("me 503 @1234+2100ms"). */
  maxMs: number
  slow: string[]
}

export interface Traffic {
  /** Requests that end from now on count in `phase`. */
  phase(name: string): void
  /** Stops the loops, waits for what is in flight, returns every phase's tally. */
  stop(): Promise<Record<string, Tally>>
}

export function startTraffic(
  send: (i: number, signal: AbortSignal) => Promise<Response>,
  options: {
    concurrency?: number
    timeoutMs?: number
    pauseMs?: number
    /** Prefixes each tally key, e.g. with the route request i went to. */
    label?: (i: number) => string
    /** A request slower than this is listed in its tally's `slow`. @default 1000 */
    slowMs?: number
  } = {},
): Traffic {
  const tallies: Record<string, Tally> = {}
  let current = "start"
  let stopped = false
  let n = 0
  const t0 = Date.now()
  const tally = (name: string) => {
    tallies[name] ??= { at: Date.now() - t0, sent: 0, statuses: {}, lost: {}, maxMs: 0, slow: [] }
    return tallies[name]
  }
  // Counts one ended request in the current phase, with its time.
  const end = (start: number, began: string, key: string, into: "statuses" | "lost") => {
    const t = tally(began === current ? current : `${began}>${current}`)
    const ms = Date.now() - start
    t.sent++
    t[into][key] = (t[into][key] ?? 0) + 1
    t.maxMs = Math.max(t.maxMs, ms)
    if (ms > (options.slowMs ?? 1000)) t.slow.push(`${key} @${start - t0}+${ms}ms`)
  }
  async function one(): Promise<void> {
    const i = n++
    const label = options.label ? `${options.label(i)} ` : ""
    const start = Date.now()
    const began = current
    try {
      const res = await send(i, AbortSignal.timeout(options.timeoutMs ?? 3000))
      const text = await res.text()
      let code = ""
      if (res.status >= 400) {
        try {
          code = ` ${(JSON.parse(text) as { code?: string }).code ?? ""}`
        } catch {
          code = " (no JSON body)"
        }
      }
      end(start, began, `${label}${res.status}${code}`.trimEnd(), "statuses")
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } }
      const why = e.name === "TimeoutError" ? e.name : `${e.name}: ${e.cause?.code ?? e.message}`
      end(start, began, `${label}${why}`, "lost")
    }
  }
  const loops = Array.from({ length: options.concurrency ?? 4 }, async () => {
    while (!stopped) {
      await one()
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs))
    }
  })
  return {
    phase(name) {
      current = name
      tally(name)
    },
    async stop() {
      stopped = true
      await Promise.all(loops)
      return tallies
    },
  }
}

/** The sum of the answers in a tally whose key matches `pattern` (e.g. /^me 200$/). */
export function count(t: Tally | undefined, pattern: RegExp): number {
  if (!t) return 0
  return Object.entries(t.statuses)
    .filter(([k]) => pattern.test(k))
    .reduce((sum, [, v]) => sum + v, 0)
}

/** How many requests of the tallies got no answer. */
export function lostInAll(tallies: Record<string, Tally>): number {
  return Object.values(tallies).reduce((sum, t) => sum + lost(t), 0)
}

/** How many requests of a tally got no answer. */
export function lost(t: Tally | undefined): number {
  return t ? Object.values(t.lost).reduce((a, b) => a + b, 0) : 0
}
