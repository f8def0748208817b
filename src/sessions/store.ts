import type { FlashMessage } from "./types.js"

/**
 * What a store keeps for one session: the values, the pending flash messages and
 * two timestamps (ms since the epoch) for the absolute and idle timeouts.
 * @example
 * ```ts
 * import type { SessionRecord } from "truss/sessions"
 * const record: SessionRecord = { data: { userId: 7 }, created: Date.now(), touched: Date.now() }
 * ```
 */
export interface SessionRecord {
  /** The session's values. */
  data: Record<string, unknown>
  /** Flash messages not yet shown. */
  flash?: FlashMessage[]
  /** When the session was created. */
  created: number
  /** When the session was last saved. */
  touched: number
}

/**
 * The contract every session store implements: two methods, and a third when the
 * store can delete. Values must round-trip through JSON.
 *
 * A store that keeps the data in the cookie itself (the signed-cookie store) returns
 * the cookie payload from `write()`; its `read()` then receives that payload as `id`.
 * @example
 * ```ts
 * import type { SessionRecord, SessionStore } from "truss/sessions"
 * const rows = new Map<string, string>()
 * const mapStore: SessionStore = {
 *   async read(id) {
 *     const json = rows.get(id)
 *     return json === undefined ? undefined : (JSON.parse(json) as SessionRecord)
 *   },
 *   async write(id, record) {
 *     rows.set(id, JSON.stringify(record))
 *   },
 *   async destroy(id) {
 *     rows.delete(id)
 *   },
 * }
 * ```
 */
export interface SessionStore {
  /** True when the data travels in the cookie itself: no id, `write()` returns the payload. */
  readonly inCookie?: boolean
  /** True for stores unfit for production (memory): the app logs a warning there. */
  readonly devOnly?: boolean
  /** The record under `id`, or undefined when there is none or it has expired. */
  read(id: string): Promise<SessionRecord | undefined>
  /**
   * Saves the record for `ttlMs` milliseconds. Returns nothing, or (for stores that
   * keep data in the cookie) the cookie payload to sign and send.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: plain stores return nothing at all
  write(id: string, record: SessionRecord, ttlMs: number): Promise<void | string>
  /** Deletes the record; stores without server state leave it out. */
  destroy?(id: string): Promise<void>
}
