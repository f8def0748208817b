import { defineError } from "../kit.js"

/**
 * The error codes of `truss/cache`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { cacheErrors, memoryStore } from "truss/cache"
 * try {
 *   memoryStore({ maxEntries: 0 })
 * } catch (err) {
 *   cacheErrors.BAD_OPTION.is(err) // true
 * }
 * ```
 */
export const cacheErrors = {
  BAD_OPTION: defineError(
    "TRUSS_ERR_CACHE_BAD_OPTION",
    (p: { option: string; value: string }) =>
      `The cache option ${p.option} is ${p.value}; pass a positive finite number.`,
    500,
  ),
  BAD_TTL: defineError(
    "TRUSS_ERR_CACHE_BAD_TTL",
    (p: { ttl: string }) =>
      `A cache TTL of ${p.ttl} is not valid: pass a positive number of seconds (e.g. 60) to get/set/remember.`,
    500,
  ),
  NOT_SERIALIZABLE: defineError(
    "TRUSS_ERR_CACHE_NOT_SERIALIZABLE",
    (p: { key: string }) =>
      `The value for cache key "${p.key}" cannot be stored: use JSON values, Date, Uint8Array or Buffer (no functions, symbols, bigint or cycles).`,
    500,
  ),
  NOT_IN_MODELS: defineError(
    "TRUSS_ERR_CACHE_NOT_IN_MODELS",
    (p: { table: string }) =>
      `The models in truss.config.ts do not include the cache table ${p.table}: add ...cacheModels (from truss/cache) to models, then run truss makemigrations and truss migrate.`,
    500,
  ),
} as const
