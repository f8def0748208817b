/**
 * Steady traffic with counts: `concurrency` loops each send one request after another
 * (`send(i)` builds request i) until stopped, and every request is tallied in the phase
 * it ended in: answered with which status and `code`, or lost (no answer within
 * `timeoutMs`, or the connection failed).
 * @module
 */

/** The counts of one phase. */
export interface Tally {
  sent: number
  /** `"200"`, `"500 TRUSS_ERR_INTERNAL"`, … → how many. */
  statuses: Record<string, number>
  /** Requests with no answer: `"TimeoutError"`, `"TypeError: fetch failed"`, … → how many. */
  lost: Record<string, number>
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
  } = {},
): Traffic {
  const tallies: Record<string, Tally> = {}
  let current = "start"
  let stopped = false
  let n = 0
  const tally = (name: string) => {
    tallies[name] ??= { sent: 0, statuses: {}, lost: {} }
    return tallies[name]
  }
  async function one(): Promise<void> {
    const i = n++
    const label = options.label ? `${options.label(i)} ` : ""
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
      const key = `${label}${res.status}${code}`.trimEnd()
      const t = tally(current)
      t.sent++
      t.statuses[key] = (t.statuses[key] ?? 0) + 1
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } }
      const why = e.name === "TimeoutError" ? e.name : `${e.name}: ${e.cause?.code ?? e.message}`
      const key = `${label}${why}`
      const t = tally(current)
      t.sent++
      t.lost[key] = (t.lost[key] ?? 0) + 1
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

/** How many requests of a tally got no answer. */
export function lost(t: Tally | undefined): number {
  return t ? Object.values(t.lost).reduce((a, b) => a + b, 0) : 0
}
