import type { SessionRecord, SessionStore } from "../store.js"

/**
 * Options of {@link memoryStore}.
 * @example
 * ```ts
 * import { memoryStore } from "truss/sessions"
 * const store = memoryStore({ max: 1000 })
 * ```
 */
export interface MemoryStoreOptions {
  /** Most sessions kept; the oldest are dropped beyond it. @default 10000 */
  max?: number
}

/**
 * Keeps sessions in this process's memory: for development and tests. Sessions are
 * lost on restart and not shared between processes, so the app logs a warning when
 * it runs in production (`NODE_ENV=production` and `debug` off).
 * @example
 * ```ts
 * import { App } from "truss"
 * import { memoryStore, sessions } from "truss/sessions"
 * const app = new App({ debug: true })
 * app.use(sessions({ secret: "dev-only-secret-dev-only-secret-0123", store: memoryStore() }))
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const max = options.max ?? 10_000
  // Records are kept as JSON so a caller mutating a record cannot change the store.
  const rows = new Map<string, { json: string; expires: number }>()
  return {
    devOnly: true,
    async read(id) {
      const row = rows.get(id)
      if (row === undefined) return undefined
      if (row.expires <= Date.now()) {
        rows.delete(id)
        return undefined
      }
      return JSON.parse(row.json) as SessionRecord
    },
    async write(id, record, ttlMs) {
      rows.delete(id)
      rows.set(id, { json: JSON.stringify(record), expires: Date.now() + ttlMs })
      // Map keeps insertion order: the first key is the least recently written.
      while (rows.size > max) rows.delete(rows.keys().next().value!)
    },
    async destroy(id) {
      rows.delete(id)
    },
  }
}
