import { textFrame } from "./ws-frame.js"

/** One broadcast as every member kind needs it. @internal */
export interface Delivery {
  readonly channel: string | undefined
  readonly event: string
  readonly data: unknown
  readonly id: string | undefined
  /** The JSON frame sockets receive, built once per broadcast. */
  readonly frame: string
  /** The frame's UTF-8 bytes, encoded once for every socket of the fan-out. */
  readonly bytes: Buffer
  /** `bytes` as a whole WebSocket text frame, written as is to every socket. */
  readonly wsFrame: Buffer
}

/** The last `capacity` broadcasts of a channel, for SSE `Last-Event-ID` resume. @internal */
export class History {
  readonly #items: Delivery[] = []
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  push(item: Delivery): void {
    if (this.#capacity === 0) return
    this.#items.push(item)
    if (this.#items.length > this.#capacity) this.#items.shift()
  }

  /**
   * What came after the broadcast with id `last`; everything kept when `last` is too old
   * (or unknown), since the client has missed at least that much.
   */
  after(last: string): Delivery[] {
    const at = this.#items.findIndex((d) => d.id === last)
    return at === -1 ? [...this.#items] : this.#items.slice(at + 1)
  }
}

/** Builds a delivery and its frame. @internal */
export function delivery(
  channel: string | undefined,
  event: string,
  data: unknown,
  id: string | undefined,
): Delivery {
  const frame = JSON.stringify(
    channel === undefined ? { event, data } : { channel, event, data, id },
  )
  const bytes = Buffer.from(frame)
  return { channel, event, data, id, frame, bytes, wsFrame: textFrame(bytes) }
}
