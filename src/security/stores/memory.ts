import type { RateLimitStore } from "./store.js"

/**
 * Counters in this process's memory: for one process, or tests. Old windows are
 * swept once a minute.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { memoryRateLimitStore, rateLimit } from "truss/security"
 * const app = new App()
 * app.use(rateLimit({ window: 60, max: 100, store: memoryRateLimitStore() }))
 * ```
 */
export function memoryRateLimitStore(): RateLimitStore {
  const rows = new Map<
    string,
    { bucket: number; current: number; previous: number; expires: number }
  >()
  let sweepAt = 0
  return {
    async hit(key, bucket, windowMs) {
      const now = Date.now()
      if (now >= sweepAt) {
        sweepAt = now + 60_000
        for (const [k, row] of rows) if (row.expires <= now) rows.delete(k)
      }
      const expires = (bucket + 2) * windowMs
      const row = rows.get(key)
      if (row === undefined || row.bucket < bucket - 1) {
        rows.set(key, { bucket, current: 1, previous: 0, expires })
        return { current: 1, previous: 0 }
      }
      if (row.bucket === bucket - 1) {
        row.previous = row.current
        row.current = 0
        row.bucket = bucket
        row.expires = expires
      }
      row.current++
      return { current: row.current, previous: row.previous }
    },
    async peek(key, bucket) {
      const row = rows.get(key)
      if (row === undefined || row.bucket < bucket - 1) return { current: 0, previous: 0 }
      if (row.bucket === bucket - 1) return { current: 0, previous: row.current }
      return { current: row.current, previous: row.previous }
    },
  }
}
