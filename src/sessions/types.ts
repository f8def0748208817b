/**
 * The session's public shape: `c.session`, its typed values and flash messages.
 * @module
 */

/**
 * Session values by key. Declare yours to type `c.session.get()`:
 * @example
 * ```ts
 * import "truss/sessions"
 * declare module "truss/sessions" {
 *   interface SessionData {
 *     userId: number
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by users
export interface SessionData {}

type Key = keyof SessionData extends never ? string : keyof SessionData & string
type ValueOf<K> = K extends keyof SessionData ? SessionData[K] : unknown

/**
 * One flash message: shown once, on the next page.
 * @example
 * ```ts
 * import type { FlashMessage } from "truss/sessions"
 * const saved: FlashMessage = { category: "success", message: "Saved" }
 * ```
 */
export interface FlashMessage {
  category: string
  message: string
}

/**
 * What `c.session` offers. Changes are saved when the response is sent.
 * @example
 * ```ts
 * import type { Context } from "truss"
 * import "truss/sessions"
 * async function login(c: Context) {
 *   await c.session.regenerate()
 *   c.session.set("userId", 7)
 * }
 * ```
 */
export interface Session {
  /** The session id, or undefined for stores that keep no id (signed cookies). */
  readonly id: string | undefined
  /** True when the session was created by this request. */
  readonly isNew: boolean
  get<K extends Key>(key: K): ValueOf<K> | undefined
  set<K extends Key>(key: K, value: ValueOf<K>): void
  has(key: string): boolean
  delete(key: string): void
  /** Removes every value, keeping the id. */
  clear(): void
  /** Gives the session a new id, keeping its values (call it at login). */
  regenerate(): Promise<void>
  /** Deletes the session from the store and expires its cookie. */
  destroy(): Promise<void>
  /** Queues a flash message for the next request. */
  flash(category: string, message: string): void
  /** The flash messages queued by the previous request; reading them consumes them. */
  flashes(): FlashMessage[]
}
