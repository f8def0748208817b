/**
 * Splitting a payload into pieces of at most `max` UTF-8 bytes, for transports with a
 * payload limit (PostgreSQL NOTIFY: 8000 bytes), and putting them back together.
 * @module
 */

/** Splits `text` into pieces of at most `max` UTF-8 bytes, never inside a surrogate pair. */
export function splitBytes(text: string, max: number): string[] {
  const pieces: string[] = []
  let start = 0
  while (start < text.length) {
    // A code unit is at most 3 UTF-8 bytes (a pair is 4 for 2 units): max/3 units always fit.
    let end = Math.min(text.length, start + max)
    while (Buffer.byteLength(text.slice(start, end)) > max) {
      end = start + Math.max(1, Math.floor((end - start) * 0.75))
    }
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end--
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces.length === 0 ? [""] : pieces
}

interface Partial {
  readonly parts: (string | undefined)[]
  got: number
  readonly at: number
}

/** Collects the pieces of chunked messages; drops messages left incomplete for `ttlMs`. */
export class Reassembler {
  readonly #open = new Map<string, Partial>()
  readonly #ttl: number

  constructor(ttlMs = 30_000) {
    this.#ttl = ttlMs
  }

  /** Adds piece `index` of `count`; returns the whole text once every piece is in. */
  add(
    id: string,
    index: number,
    count: number,
    piece: string,
    now = Date.now(),
  ): string | undefined {
    let entry = this.#open.get(id)
    if (entry === undefined) {
      this.#sweep(now)
      entry = { parts: new Array<string | undefined>(count), got: 0, at: now }
      this.#open.set(id, entry)
    }
    if (entry.parts[index] === undefined) {
      entry.parts[index] = piece
      entry.got++
    }
    if (entry.got < count) return undefined
    this.#open.delete(id)
    return entry.parts.join("")
  }

  /** Messages still missing pieces. */
  get pending(): number {
    return this.#open.size
  }

  #sweep(now: number): void {
    for (const [id, entry] of this.#open) if (now - entry.at > this.#ttl) this.#open.delete(id)
  }
}
