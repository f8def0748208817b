import { randomString } from "../kit.js"
import { decode, encode } from "./codec.js"
import { Deadlines } from "./deadline.js"
import { cacheErrors } from "./errors.js"
import type { CacheStore } from "./store.js"

/**
 * Options of {@link Cache}.
 * @example
 * ```ts
 * import { type CacheOptions, memoryStore } from "truss/cache"
 * const options: CacheOptions = { store: memoryStore(), prefix: "v1:" }
 * ```
 */
export interface CacheOptions {
  /** Where entries live: memoryStore(), redisStore(), databaseStore(). */
  store: CacheStore
  /** Prepended to every key. @default "" */
  prefix?: string
  /** Where the one warning per store outage goes. @default console.warn */
  warn?: (message: string, error: unknown) => void
  /** How long `remember` holds its cross-process lock, in ms. @default 10000 */
  lockMs?: number
  /** A store call slower than this counts as failed (a miss), in ms. @default 1000 */
  timeoutMs?: number
}

interface Shared {
  store: CacheStore
  warn: (message: string, error: unknown) => void
  lockMs: number
  deadlines: Deadlines
  down: boolean
  flights: Map<string, Promise<unknown>>
}

const TAG_TTL_MS = 365 * 24 * 3600 * 1000

/** What {@link RawEntries.peek} answers when it cannot read without a promise. @internal */
export const NOT_LOCAL: unique symbol = Symbol("truss.cache.notLocal")
/** The key of {@link Cache}'s raw access, for the battery's own records. @internal */
export const RAW: unique symbol = Symbol("truss.cache.raw")

/**
 * A view's entries as the strings the store keeps, not tagged JSON: how `cachePage`
 * keeps its page records. Same keys, prefix, tags, deadlines and outage handling as
 * the view's own calls.
 * @internal
 */
export interface RawEntries {
  /**
   * `parse(value)` read synchronously, undefined for a miss; {@link NOT_LOCAL} when the
   * store has no `peek` (it is not in this process) or the view has tags (their
   * versions may have to be written first).
   */
  peek<T>(key: string, parse: (value: string) => T): T | undefined | typeof NOT_LOCAL
  /** The string under `key`, or undefined (a miss, or a failed store). */
  get(key: string): Promise<string | undefined>
  /** Stores every entry for `ttl` seconds. */
  set(entries: ReadonlyArray<readonly [string, string]>, ttl: number): Promise<void>
}

function ttlMs(ttl: number): number {
  if (!Number.isFinite(ttl) || ttl <= 0) throw cacheErrors.BAD_TTL({ ttl: String(ttl) })
  return ttl * 1000
}

function serialize(key: string, value: unknown): string {
  try {
    const json = encode(value)
    if (json === undefined) throw new TypeError("undefined")
    return json
  } catch (cause) {
    throw cacheErrors.NOT_SERIALIZABLE({ key }, { cause })
  }
}

/**
 * The cache facade: typed get/set over any {@link CacheStore}, TTLs in seconds,
 * values as tagged JSON (Date and bytes round-trip), `remember` with stampede
 * protection, namespaces and tags. A failing store (Redis down) turns every call
 * into a miss and logs one warning per outage instead of throwing.
 * @example
 * ```ts
 * import { Cache, memoryStore } from "truss/cache"
 * const cache = new Cache({ store: memoryStore() })
 * await cache.set("user:7", { name: "Ada", seen: new Date() }, 60)
 * const user = await cache.get<{ name: string; seen: Date }>("user:7")
 * const total = await cache.remember("stats:total", 300, async () => 42)
 * ```
 */
export class Cache {
  readonly #shared: Shared
  readonly #prefix: string
  readonly #tags: readonly string[]

  constructor(options: CacheOptions, shared?: Shared, tags: readonly string[] = []) {
    this.#prefix = options.prefix ?? ""
    this.#tags = tags
    this.#shared = shared ?? {
      store: options.store,
      warn: options.warn ?? ((message, error) => console.warn(message, error)),
      lockMs: options.lockMs ?? 10_000,
      deadlines: new Deadlines(options.timeoutMs ?? 1000),
      down: false,
      flights: new Map(),
    }
  }

  /**
   * Runs a store call; on failure warns once per outage and returns `fallback`.
   * A plain promise chain, not an async function: one frame less on every hit.
   */
  #safe<T>(op: () => Promise<T>, fallback: T): Promise<T> {
    const shared = this.#shared
    let call: Promise<T>
    try {
      // A client that queues commands while reconnecting would hang the request: bound it.
      call = shared.store.local ? op() : shared.deadlines.run(op)
    } catch (error) {
      call = Promise.reject(error)
    }
    return call.then(
      (result) => {
        shared.down = false
        return result
      },
      (error: unknown) => {
        if (!shared.down) {
          shared.down = true
          shared.warn(
            "truss/cache: the cache store failed; cache calls are misses until it is back",
            error,
          )
        }
        return fallback
      },
    )
  }

  /** The raw values of `keys`; without tags, no extra await on the way. */
  #read(keys: readonly string[]): Promise<(string | undefined)[]> {
    const store = this.#shared.store
    if (this.#tags.length === 0) return store.get(keys.map((k) => this.#prefix + k))
    return this.#keys(keys).then((full) => store.get(full))
  }

  /** Full store keys for `keys`, with the current tag versions folded in. */
  async #keys(keys: readonly string[]): Promise<string[]> {
    if (this.#tags.length === 0) return keys.map((k) => this.#prefix + k)
    const store = this.#shared.store
    const tagKeys = this.#tags.map((t) => `tag:${t}`)
    const versions = await store.get(tagKeys)
    const missing: [string, string][] = []
    const stamp = versions.map((v, i) => {
      if (v !== undefined) return v
      const fresh = randomString(8, "hex")
      missing.push([tagKeys[i] as string, fresh])
      return fresh
    })
    if (missing.length > 0) await store.set(missing, TAG_TTL_MS)
    const head = `${this.#prefix}t:${stamp.join(".")}:`
    return keys.map((k) => head + k)
  }

  /**
   * The values under `keys`, in order; undefined where missing.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * const [a, b] = await cache.getMany<number>(["a", "b"])
   * ```
   */
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return this.#safe(() => this.#read(keys), []).then((raw) =>
      keys.map((_, i) => {
        const json = raw[i]
        return json === undefined ? undefined : (decode(json) as T)
      }),
    )
  }

  /**
   * The value under `key`, or undefined.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * const name = await cache.get<string>("name")
   * ```
   */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const [value] = await this.getMany<T>([key])
    return value
  }

  /**
   * True when `key` holds a value (null counts).
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.has("name") // false
   * ```
   */
  async has(key: string): Promise<boolean> {
    const [json] = await this.#safe(() => this.#read([key]), [])
    return json !== undefined
  }

  /**
   * Stores every entry for `ttl` seconds.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.setMany({ a: 1, b: 2 }, 60)
   * ```
   */
  async setMany(
    entries: Record<string, unknown> | ReadonlyArray<readonly [string, unknown]>,
    ttl: number,
  ): Promise<void> {
    const ms = ttlMs(ttl)
    const list = Array.isArray(entries) ? entries : Object.entries(entries)
    await this.#write(
      list.map(([k, v]) => [k, serialize(k, v)] as const),
      ms,
    )
  }

  #write(encoded: ReadonlyArray<readonly [string, string]>, ms: number): Promise<void> {
    return this.#safe(async () => {
      const keys = await this.#keys(encoded.map(([k]) => k))
      await this.#shared.store.set(
        encoded.map(([, v], i) => [keys[i] as string, v] as const),
        ms,
      )
    }, undefined)
  }

  /** Raw access to this view's entries (see {@link RawEntries}). @internal */
  [RAW](): RawEntries {
    const store = this.#shared.store
    const prefix = this.#prefix
    const tagged = this.#tags.length > 0
    return {
      peek: (key, parse) =>
        tagged || store.peek === undefined ? NOT_LOCAL : store.peek(prefix + key, parse),
      get: (key) => this.#safe(() => this.#read([key]), []).then(([value]) => value),
      set: (entries, ttl) => this.#write(entries, ttlMs(ttl)),
    }
  }

  /**
   * Stores `value` under `key` for `ttl` seconds.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.set("bytes", new Uint8Array([1, 2, 3]), 60)
   * ```
   */
  async set(key: string, value: unknown, ttl: number): Promise<void> {
    await this.setMany([[key, value]], ttl)
  }

  /**
   * Deletes one key or several.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.delete(["a", "b"])
   * ```
   */
  async delete(keys: string | readonly string[]): Promise<void> {
    const list = typeof keys === "string" ? [keys] : keys
    await this.#safe(async () => this.#shared.store.delete(await this.#keys(list)), undefined)
  }

  /**
   * The cached value of `key`, or else `fn()`'s result, stored for `ttl` seconds.
   * Concurrent misses in one process share one call of `fn`; across processes a
   * short store lock (Redis SET NX PX) lets one compute while the others wait.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * const report = await cache.remember("report", 300, async () => ({ rows: 3 }))
   * ```
   */
  async remember<T>(key: string, ttl: number, fn: () => Promise<T> | T): Promise<T> {
    ttlMs(ttl)
    const flights = this.#shared.flights
    const id = `${this.#prefix}${this.#tags.join(",")}\u0000${key}`
    const running = flights.get(id)
    if (running !== undefined) return running as Promise<T>
    const flight = this.#fill(key, ttl, fn).finally(() => flights.delete(id))
    flights.set(id, flight)
    return flight
  }

  async #fill<T>(key: string, ttl: number, fn: () => Promise<T> | T): Promise<T> {
    const hit = await this.#lookup<T>(key)
    if (hit.found) return hit.value
    const store = this.#shared.store
    // Tag versions stay out of the lock key: a lock per plain key is enough.
    const lockKey = this.#prefix + key
    const { lock, unlock } = store
    if (lock === undefined || unlock === undefined) return this.#compute(key, ttl, fn)
    const got = await this.#safe(() => lock.call(store, lockKey, this.#shared.lockMs), true)
    if (got) {
      try {
        return await this.#compute(key, ttl, fn)
      } finally {
        await this.#safe(() => unlock.call(store, lockKey), undefined)
      }
    }
    return this.#wait(key, ttl, fn)
  }

  /** Another process holds the lock: poll for its value until the lock would expire. */
  async #wait<T>(key: string, ttl: number, fn: () => Promise<T> | T): Promise<T> {
    const deadline = Date.now() + this.#shared.lockMs
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      const hit = await this.#lookup<T>(key)
      if (hit.found) return hit.value
    }
    return this.#compute(key, ttl, fn)
  }

  async #lookup<T>(key: string): Promise<{ found: true; value: T } | { found: false }> {
    const [json] = await this.#safe(() => this.#read([key]), [])
    return json === undefined ? { found: false } : { found: true, value: decode(json) as T }
  }

  async #compute<T>(key: string, ttl: number, fn: () => Promise<T> | T): Promise<T> {
    const value = await fn()
    await this.set(key, value, ttl)
    return value
  }

  /**
   * A view of this cache whose keys live under `name`: `ns.get("k")` reads `name:k`.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * const users = cache.namespace("users")
   * await users.set("7", { name: "Ada" }, 60)
   * ```
   */
  namespace(name: string): Cache {
    return new Cache(
      { store: this.#shared.store, prefix: `${this.#prefix}${name}:` },
      this.#shared,
      this.#tags,
    )
  }

  /**
   * A view whose entries carry `tags`; `flushTags(tag)` on any view drops them all in
   * one call (each tag has a version folded into the key, and flushing changes it).
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.tags("posts", "user:7").set("feed:7", [1, 2], 60)
   * await cache.flushTags("posts")
   * ```
   */
  tags(...tags: string[]): Cache {
    return new Cache(
      { store: this.#shared.store, prefix: this.#prefix },
      this.#shared,
      [...this.#tags, ...tags].sort(),
    )
  }

  /**
   * Invalidates every entry stored with any of `tags`, in one store call.
   * @example
   * ```ts
   * import { Cache, memoryStore } from "truss/cache"
   * const cache = new Cache({ store: memoryStore() })
   * await cache.flushTags("posts")
   * ```
   */
  async flushTags(...tags: string[]): Promise<void> {
    const store = this.#shared.store
    await this.#safe(
      () =>
        store.set(
          tags.map((t) => [`tag:${t}`, randomString(8, "hex")] as const),
          TAG_TTL_MS,
        ),
      undefined,
    )
  }
}
