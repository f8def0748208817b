/**
 * `truss/cache`: one {@link Cache} facade over pluggable stores (memory LRU, Redis,
 * the app's database through the normal migrations),
 * with TTLs, tagged-JSON values (Date and bytes round-trip), `remember` with
 * stampede protection, namespaces and tags. A store outage turns calls into misses.
 * @module
 */
export { Cache, type CacheOptions } from "./cache.js"
export { cacheErrors } from "./errors.js"
export {
  type CacheControl,
  cacheControl,
  formatCacheControl,
  noStore,
} from "./http/cache-control.js"
export { type CachePageOptions, cachePage } from "./http/cache-page.js"
export { type EtagOptions, etag } from "./http/etag.js"
export type { CacheStore } from "./store.js"
export {
  type DatabaseCacheStore,
  type DatabaseStoreOptions,
  databaseStore,
} from "./stores/database.js"
export { CacheEntry, cacheModels } from "./stores/database-model.js"
export { type MemoryStoreOptions, memoryStore } from "./stores/memory.js"
export { type RedisStoreOptions, redisStore } from "./stores/redis.js"
