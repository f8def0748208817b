import { field, model } from "../../orm/index.js"

/**
 * The model behind {@link databaseStore}: one row per entry in `truss_cache`, keyed
 * by the SHA-256 of the cache key (keys can be longer than an index allows), with the
 * key itself for reading (NUL shown as ␀: PostgreSQL text cannot hold it), the
 * tagged-JSON value and the expiry in ms since the epoch. List it
 * (through `cacheModels`) in the models of `truss.config.ts` and the normal
 * `truss makemigrations` / `truss migrate` create the table.
 * @example
 * ```ts
 * import { CacheEntry } from "truss/cache"
 * CacheEntry.meta.table // "truss_cache"
 * ```
 */
export const CacheEntry = model(
  "trussCacheEntry",
  {
    hash: field.string({ max: 64, unique: true }),
    key: field.text(),
    value: field.text(),
    expires: field.bigint(),
  },
  { table: "truss_cache", indexes: [{ fields: ["expires"] }] },
)

/**
 * Every model of `truss/cache`, to add to the models your migrations cover.
 * @example
 * ```ts
 * import { cacheModels } from "truss/cache"
 * import { defineConfig } from "truss/orm"
 * export default defineConfig({ database: "sqlite:./app.db", models: [...cacheModels] })
 * ```
 */
export const cacheModels = [CacheEntry] as const
