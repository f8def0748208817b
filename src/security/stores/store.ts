/**
 * Hits in the current fixed window and in the one before it.
 * @example
 * ```ts
 * import type { WindowCounts } from "truss/security"
 * const counts: WindowCounts = { current: 3, previous: 10 }
 * ```
 */
export interface WindowCounts {
  current: number
  previous: number
}

/**
 * Where rate-limit counters live. One method: count a hit in fixed window `bucket`
 * (`floor(now / windowMs)`) and return that window's count and the previous one's.
 * Must be atomic when several processes share the store.
 * @example
 * ```ts
 * import type { RateLimitStore } from "truss/security"
 * const counts = new Map<string, number>()
 * const mapStore: RateLimitStore = {
 *   async hit(key, bucket) {
 *     const current = (counts.get(`${key}:${bucket}`) ?? 0) + 1
 *     counts.set(`${key}:${bucket}`, current)
 *     return { current, previous: counts.get(`${key}:${bucket - 1}`) ?? 0 }
 *   },
 * }
 * ```
 */
export interface RateLimitStore {
  hit(key: string, bucket: number, windowMs: number): Promise<WindowCounts>
  /** Reads window `bucket`'s and the previous window's counts without counting. */
  peek?(key: string, bucket: number): Promise<WindowCounts>
}
