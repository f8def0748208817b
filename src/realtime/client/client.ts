import type { ChannelTypes, EventsFor } from "../channels.js"
import type { PresenceEntry } from "../presence.js"

/**
 * Options for {@link connect}.
 * @example
 * ```ts
 * import type { ClientOptions } from "truss/realtime"
 * const options: ClientOptions = { minDelay: 250, maxDelay: 10_000, protocols: [] }
 * ```
 */
export interface ClientOptions {
  /** First reconnect delay in ms; doubled after each failed attempt, with jitter. @default 250 */
  minDelay?: number
  /** Longest reconnect delay in ms. @default 10000 */
  maxDelay?: number
  /** WebSocket subprotocols. */
  protocols?: string[]
  /** The WebSocket class. @default globalThis.WebSocket */
  WebSocket?: typeof WebSocket
}

/** Presence events every channel with `presence: true` sends. */
type PresenceEvents = { "presence:join": PresenceEntry; "presence:leave": PresenceEntry }

/**
 * Handlers for one channel's events, typed from the server's channel declarations.
 * @example
 * ```ts
 * import type { EventHandlers } from "truss/realtime"
 * type Chat = { "rooms/:id": { said: { text: string } } }
 * const handlers: EventHandlers<Chat, "rooms/1"> = { said: (data) => console.log(data.text) }
 * ```
 */
export type EventHandlers<C extends ChannelTypes, N extends string> = {
  [E in keyof (EventsFor<C, N> & PresenceEvents)]?: (
    data: (EventsFor<C, N> & PresenceEvents)[E],
  ) => void
}

interface Frame {
  event?: string
  channel?: string
  data?: unknown
  id?: string
}

type Listener = (frame: Frame) => void

/**
 * A WebSocket to a `truss/realtime` route that stays up: after a drop it reconnects with
 * exponential backoff and jitter, then joins its channels again. `T` is the server's
 * `Realtime` (`RealtimeClient<typeof rt>`), which types channel names and event data.
 * Messages sent while disconnected are queued (up to 100) and sent on reconnect.
 * @example
 * ```ts
 * import { connect } from "truss/realtime"
 * const client = connect("wss://chat.example/ws")
 * client.subscribe("rooms/1", { said: (data) => console.log(data) })
 * client.send({ op: "say", text: "hi" })
 * ```
 */
export class RealtimeClient<
  T extends { "~channels"?: ChannelTypes } = { "~channels"?: ChannelTypes },
> {
  /** Reconnections so far. */
  reconnects = 0
  readonly #url: string
  readonly #options: ClientOptions
  readonly #channels = new Map<string, Set<Listener>>()
  readonly #direct = new Set<Listener>()
  readonly #queue: string[] = []
  #socket: WebSocket | undefined
  #attempt = 0
  #closed = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #opened: (() => void)[] = []

  constructor(url: string, options: ClientOptions = {}) {
    this.#url = url
    this.#options = options
    this.#open()
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.#socket?.readyState === 1
  }

  /** Resolves once the socket is open (now, or after the next reconnect). */
  ready(): Promise<void> {
    if (this.connected) return Promise.resolve()
    return new Promise((resolve) => this.#opened.push(resolve))
  }

  /** Joins `channel` (again after every reconnect) and calls `handlers` for its events. Returns the unsubscribe. */
  subscribe<N extends string>(
    channel: N,
    handlers: EventHandlers<NonNullable<T["~channels"]>, N>,
  ): () => void {
    const listener: Listener = (frame) => {
      const fn = (handlers as Record<string, ((data: unknown) => void) | undefined>)[
        frame.event ?? ""
      ]
      fn?.(frame.data)
    }
    let set = this.#channels.get(channel)
    if (set === undefined) {
      set = new Set()
      this.#channels.set(channel, set)
      this.#control("join", channel)
    }
    set.add(listener)
    return () => {
      const current = this.#channels.get(channel)
      if (current === undefined || !current.delete(listener) || current.size > 0) return
      this.#channels.delete(channel)
      this.#control("leave", channel)
    }
  }

  /** Calls `fn` for frames sent to this connection alone (`socket.send`, `rt.toUser`, errors). */
  onMessage(fn: (event: string, data: unknown) => void): () => void {
    const listener: Listener = (f) => fn(f.event ?? "", f.data)
    this.#direct.add(listener)
    return () => this.#direct.delete(listener)
  }

  /** Sends `value` as JSON; queued while reconnecting. */
  send(value: unknown): void {
    const text = JSON.stringify(value)
    if (this.connected) this.#socket!.send(text)
    else if (this.#queue.length < 100) this.#queue.push(text)
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#socket?.close(1000)
  }

  #control(op: "join" | "leave", channel: string): void {
    if (this.connected) this.#socket!.send(JSON.stringify({ $: op, channel }))
  }

  #open(): void {
    const Ws = this.#options.WebSocket ?? globalThis.WebSocket
    const socket = new Ws(this.#url, this.#options.protocols)
    this.#socket = socket
    socket.onopen = () => {
      this.#attempt = 0
      for (const channel of this.#channels.keys())
        socket.send(JSON.stringify({ $: "join", channel }))
      for (const text of this.#queue.splice(0)) socket.send(text)
      for (const fn of this.#opened.splice(0)) fn()
    }
    socket.onmessage = (e: MessageEvent) => this.#receive(e.data)
    socket.onclose = () => {
      if (this.#socket !== socket || this.#closed) return
      this.#schedule()
    }
    // A failed connection also closes: the reconnect is scheduled there.
    socket.onerror = () => {}
  }

  #schedule(): void {
    const min = this.#options.minDelay ?? 250
    const max = this.#options.maxDelay ?? 10_000
    const delay = Math.min(max, min * 2 ** this.#attempt++) * (0.5 + Math.random() / 2)
    this.#timer = setTimeout(() => {
      this.reconnects++
      this.#open()
    }, delay)
  }

  #receive(data: unknown): void {
    if (typeof data !== "string") return
    let frame: Frame
    try {
      frame = JSON.parse(data) as Frame
    } catch {
      return
    }
    const listeners = frame.channel === undefined ? this.#direct : this.#channels.get(frame.channel)
    if (listeners) for (const fn of listeners) fn(frame)
  }
}

/**
 * Opens a {@link RealtimeClient}; pass the server's `Realtime` type for typed channels.
 * @example
 * ```ts
 * import { connect } from "truss/realtime"
 * type Chat = { "~channels"?: { "rooms/:id": { said: { text: string } } } }
 * const client = connect<Chat>("ws://127.0.0.1:3000/ws")
 * client.subscribe("rooms/7", { said: (data) => console.log(data.text) })
 * ```
 */
export function connect<T extends { "~channels"?: ChannelTypes } = { "~channels"?: ChannelTypes }>(
  url: string,
  options?: ClientOptions,
): RealtimeClient<T> {
  return new RealtimeClient<T>(url, options)
}
