import { randomBytes } from "node:crypto"
import type { SessionRecord, SessionStore } from "./store.js"
import type { FlashMessage, Session, SessionData } from "./types.js"

type Key = keyof SessionData extends never ? string : keyof SessionData & string
type ValueOf<K> = K extends keyof SessionData ? SessionData[K] : unknown

/** How many flash messages a session queues at most; older ones are dropped. */
export const MAX_FLASHES = 10

/** Where `csrf()` from truss/security keeps its per-session secret. */
const CSRF_KEY = "_csrf"

/** 192 random bits, base64url: 32 characters. */
export function newSessionId(): string {
  return randomBytes(24).toString("base64url")
}

/**
 * One request's view of a session: the values loaded from the store, changed in
 * memory, and saved by the middleware after the handler when `modified`. @internal
 */
export class StoreSession implements Session {
  readonly #store: SessionStore
  #id: string | undefined
  #data: Record<string, unknown>
  #flash: FlashMessage[]
  #isNew: boolean
  /** Whether values or flashes changed and must be saved. */
  modified = false
  /** Whether `destroy()` ran: the cookie is expired unless new values follow. */
  destroyed = false
  #created: number | undefined
  /** When it was last saved; 0 for a new session (only loaded ones are read). */
  readonly touched: number

  /**
   * A loaded session (`record`) or a new one. A new one is stamped with its start time
   * when first asked (at save, usually): most requests without a session cookie never
   * save one, and `Date.now()` is ~40 ns of the hello route.
   */
  constructor(store: SessionStore, id: string | undefined, record: SessionRecord | undefined) {
    this.#store = store
    this.#id = id
    this.#isNew = record === undefined
    this.#data = record?.data ?? {}
    this.#flash = record?.flash ?? []
    this.#created = record?.created
    this.touched = record?.touched ?? 0
  }

  /** When the session began, ms since the epoch. */
  get created(): number {
    this.#created ??= Date.now()
    return this.#created
  }

  /** The id; generated on first use for a new session. Undefined for the cookie store. */
  get id(): string | undefined {
    if (this.#id === undefined && this.#store.inCookie !== true) this.#id = newSessionId()
    return this.#id
  }

  get isNew(): boolean {
    return this.#isNew
  }

  /** True when there is nothing to keep. */
  get empty(): boolean {
    return this.#flash.length === 0 && Object.keys(this.#data).length === 0
  }

  get<K extends Key>(key: K): ValueOf<K> | undefined {
    return this.#data[key] as ValueOf<K> | undefined
  }

  set<K extends Key>(key: K, value: ValueOf<K>): void {
    this.#data[key] = value
    this.modified = true
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#data, key)
  }

  delete(key: string): void {
    if (!Object.hasOwn(this.#data, key)) return
    delete this.#data[key]
    this.modified = true
  }

  clear(): void {
    if (Object.keys(this.#data).length === 0) return
    this.#data = {}
    this.modified = true
  }

  /**
   * Moves the values to a fresh id and deletes the old one, so a planted id is useless.
   * The CSRF secret is dropped too: a token learned before login is useless after it.
   */
  async regenerate(): Promise<void> {
    const old = this.#isNew ? undefined : this.#id
    if (old !== undefined) await this.#store.destroy?.(old)
    delete this.#data[CSRF_KEY]
    this.#id = undefined
    this.#isNew = true
    this.#created = Date.now()
    this.modified = true
  }

  async destroy(): Promise<void> {
    const old = this.#isNew ? undefined : this.#id
    if (old !== undefined) await this.#store.destroy?.(old)
    this.#id = undefined
    this.#isNew = true
    this.#data = {}
    this.#flash = []
    this.#created = Date.now()
    this.modified = false
    this.destroyed = true
  }

  flash(category: string, message: string): void {
    // Bounded, so a loop of flashes (or a user who never views a page) cannot outgrow
    // the session cookie: the oldest messages give way.
    if (this.#flash.length >= MAX_FLASHES) this.#flash = this.#flash.slice(-(MAX_FLASHES - 1))
    this.#flash.push({ category, message })
    this.modified = true
  }

  /** Every message not yet shown (including this request's), then forgets them. */
  flashes(): FlashMessage[] {
    const out = this.#flash
    if (out.length === 0) return out
    this.#flash = []
    this.modified = true
    return out
  }

  /** The record to save, stamped `touched = now`. */
  toRecord(now: number): SessionRecord {
    const record: SessionRecord = { data: this.#data, created: this.created, touched: now }
    if (this.#flash.length > 0) record.flash = this.#flash
    return record
  }
}
