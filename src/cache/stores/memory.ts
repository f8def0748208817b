import { cacheErrors } from "../errors.js"
import type { CacheStore } from "../store.js"

/**
 * Options of {@link memoryStore}.
 * @example
 * ```ts
 * import type { MemoryStoreOptions } from "truss/cache"
 * const options: MemoryStoreOptions = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }
 * ```
 */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. @default 10000 */
  maxEntries?: number
  /** Most bytes kept (key + value, UTF-16 estimate); LRU eviction past it. @default 64 MiB */
  maxBytes?: number
}

interface Entry {
  value: string
  expires: number
  bytes: number
  /** What `peek` last parsed `value` into, and with which function. */
  parsed?: { by: (value: string) => unknown; result: unknown }
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw cacheErrors.BAD_OPTION({ option, value: String(value) })
  }
  return value
}

/**
 * An in-process LRU cache bounded in entries and in bytes. It is `local`: `peek` reads
 * without a promise and keeps what it parsed beside the entry, so a `cachePage` hit
 * answers in the same tick and parses its record once per write. One per process: use
 * {@link redisStore} or {@link databaseStore} to share a cache between processes.
 * @example
 * ```ts
 * import { Cache, memoryStore } from "truss/cache"
 * const cache = new Cache({ store: memoryStore({ maxEntries: 1000 }) })
 * await cache.set("answer", 42, 60)
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore &
  Required<Pick<CacheStore, "peek">> & {
    readonly size: number
    readonly bytes: number
    clear(): Promise<number>
  } {
  const maxEntries = positive("maxEntries", options.maxEntries ?? 10_000)
  const maxBytes = positive("maxBytes", options.maxBytes ?? 64 * 1024 * 1024)
  const entries = new Map<string, Entry>()
  let bytes = 0
  const drop = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return
    bytes -= entry.bytes
    entries.delete(key)
  }
  const touch = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expires <= now) {
      drop(key)
      return undefined
    }
    // Re-inserting moves the key to the end of the Map: the most recently used.
    entries.delete(key)
    entries.set(key, entry)
    return entry
  }
  const write = (key: string, value: string, expires: number) => {
    drop(key)
    const size = (key.length + value.length) * 2
    if (size > maxBytes) return
    entries.set(key, { value, expires, bytes: size })
    bytes += size
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break
      drop(oldest)
    }
  }
  const locks = new Map<string, number>()
  return {
    local: true,
    get size() {
      return entries.size
    },
    get bytes() {
      return bytes
    },
    async get(keys) {
      const now = Date.now()
      return keys.map((k) => touch(k, now)?.value)
    },
    peek<T>(key: string, parse: (value: string) => T): T | undefined {
      const entry = touch(key, Date.now())
      if (entry === undefined) return undefined
      // A write replaces the entry, so a kept result always belongs to this value.
      if (entry.parsed?.by !== parse) entry.parsed = { by: parse, result: parse(entry.value) }
      return entry.parsed.result as T
    },
    async set(list, ttlMs) {
      const expires = Date.now() + ttlMs
      for (const [k, v] of list) write(k, v, expires)
    },
    async delete(keys) {
      for (const k of keys) drop(k)
    },
    async lock(key, ttlMs) {
      const now = Date.now()
      const until = locks.get(key)
      if (until !== undefined && until > now) return false
      locks.set(key, now + ttlMs)
      return true
    },
    async unlock(key) {
      locks.delete(key)
    },
    async clear() {
      const removed = entries.size
      entries.clear()
      locks.clear()
      bytes = 0
      return removed
    },
  }
}
