import type { Delivery } from "./history.js"
import type { Member } from "./hub.js"

const NEWLINE = /[\r\n]/g

/** One `text/event-stream` message; the data is the same JSON frame a socket gets. */
export function encodeEvent(d: Delivery): string {
  const id = d.id === undefined ? "" : `id: ${d.id.replace(NEWLINE, "")}\n`
  return `${id}event: ${d.event.replace(NEWLINE, "")}\ndata: ${d.frame}\n\n`
}

/**
 * An SSE stream as a channel member: broadcasts queue up (at most `maxQueue`, then new
 * ones are dropped) until the response stream reads them. `return()` ends it at once,
 * even while a read is waiting, so a client that leaves is removed from its channels
 * straight away (through `listen()` and through `app.fetch()` alike). @internal
 */
export class SseMember implements Member, AsyncIterableIterator<string> {
  readonly id: string
  readonly user: string | undefined
  dropped = 0
  readonly #queue: string[] = []
  readonly #maxQueue: number
  readonly #onEnd: () => void
  #wake: ((r: IteratorResult<string>) => void) | undefined
  #ended = false

  constructor(id: string, user: string | undefined, maxQueue: number, onEnd: () => void) {
    this.id = id
    this.user = user
    this.#maxQueue = maxQueue
    this.#onEnd = onEnd
  }

  /** Queues text ahead of broadcasts (the opening comment, a replay). */
  push(text: string): void {
    if (this.#ended) return
    const wake = this.#wake
    if (wake !== undefined) {
      this.#wake = undefined
      wake({ value: text, done: false })
    } else if (this.#queue.length < this.#maxQueue) this.#queue.push(text)
    else this.dropped++
  }

  deliver(d: Delivery): void {
    this.push(encodeEvent(d))
  }

  next(): Promise<IteratorResult<string>> {
    const value = this.#queue.shift()
    if (value !== undefined) return Promise.resolve({ value, done: false })
    if (this.#ended) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  return(): Promise<IteratorResult<string>> {
    this.end()
    return Promise.resolve({ value: undefined, done: true })
  }

  /** Ends the stream and leaves every channel. */
  end(): void {
    if (this.#ended) return
    this.#ended = true
    this.#queue.length = 0
    const wake = this.#wake
    this.#wake = undefined
    wake?.({ value: undefined, done: true })
    this.#onEnd()
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
