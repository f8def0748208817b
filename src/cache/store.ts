/**
 * The contract every cache store implements: strings in, strings out, each with a
 * TTL in milliseconds. The {@link Cache} facade does the encoding, the tags and the
 * stampede protection on top, so a store stays a few lines.
 * @example
 * ```ts
 * import type { CacheStore } from "truss/cache"
 * const rows = new Map<string, { value: string; expires: number }>()
 * const mapStore: CacheStore = {
 *   async get(keys) {
 *     return keys.map((k) => {
 *       const row = rows.get(k)
 *       return row !== undefined && row.expires > Date.now() ? row.value : undefined
 *     })
 *   },
 *   async set(entries, ttlMs) {
 *     for (const [k, value] of entries) rows.set(k, { value, expires: Date.now() + ttlMs })
 *   },
 *   async delete(keys) {
 *     for (const k of keys) rows.delete(k)
 *   },
 * }
 * ```
 */
export interface CacheStore {
  /**
   * True when calls never wait on I/O (the memory store): the facade then skips the
   * `timeoutMs` bound it puts around every call of a remote store.
   */
  readonly local?: boolean
  /**
   * A synchronous read, for stores whose values live in this process (memory):
   * `parse(value)` of the entry under `key`, or undefined when it is missing or expired.
   * The store may keep the result beside the entry and return it again until the entry
   * is written or dropped, so `parse` must be pure and its result treated as read-only.
   * With it, a `cachePage` hit answers without a promise.
   */
  peek?<T>(key: string, parse: (value: string) => T): T | undefined
  /** The values under `keys`, in order; undefined where missing or expired. */
  get(keys: readonly string[]): Promise<(string | undefined)[]>
  /** Stores every entry for `ttlMs` milliseconds. */
  set(entries: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<void>
  /** Deletes the keys; missing ones are fine. */
  delete(keys: readonly string[]): Promise<void>
  /**
   * Takes a short lock across processes (Redis SET NX PX): true when this caller
   * got it. Stores without it rely on the per-process single flight.
   */
  lock?(key: string, ttlMs: number): Promise<boolean>
  /** Releases a lock taken with `lock`. */
  unlock?(key: string): Promise<void>
  /** Deletes every entry of this store (its prefix, its table); returns how many. */
  clear?(): Promise<number>
}
