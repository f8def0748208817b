import type { Duplex } from "node:stream"
import type { WebSocket } from "ws"
import type { Context, TrussError } from "../kit.js"
import { realtimeErrors } from "./errors.js"
import type { Delivery } from "./history.js"
import type { Member } from "./hub.js"
import type { ResolvedLimits } from "./options.js"

const TEXT = { binary: false } as const

/** What a socket needs from its `Realtime`. @internal */
export interface Engine {
  join(member: Member, channel: string, c: Context, meta: unknown): Promise<void>
  leave(member: Member, channel: string): void
  publish(channel: string, event: string, data: unknown, except?: string): Promise<void>
}

/**
 * One open WebSocket: send to it, put it in channels, broadcast from it. `P` is its
 * route's params, `S` the state you keep on it in `socket.data`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { realtime } from "truss/realtime"
 * const rt = realtime(new App())
 * rt.channel("rooms/:id")
 * rt.ws("/rooms/:id", {
 *   async open(socket) {
 *     await socket.join(`rooms/${socket.params.id}`)
 *     socket.send("welcome", { id: socket.id })
 *   },
 *   message(socket, data) {
 *     socket.broadcast(`rooms/${socket.params.id}`, "said", data)
 *   },
 * })
 * ```
 */
export class RealtimeSocket<P extends object = Record<string, string>, S = Record<string, unknown>>
  implements Member
{
  /** A random id, unique across processes. */
  readonly id: string
  /** The upgrade request's context: its session, cookies and `c.get()` values stay readable. */
  readonly c: Context
  /** The user this connection belongs to (`realtime({ user })`). */
  readonly user: string | undefined
  /** Your own per-connection state. */
  data: S
  /** Messages dropped because the client read too slowly. */
  dropped = 0
  /** @internal */ alive = true
  /** @internal */ lastSeen = Date.now()
  /** @internal */ lastPing = Date.now()
  /** @internal */ readonly limits: ResolvedLimits
  readonly #ws: WebSocket
  readonly #engine: Engine
  readonly #limits: ResolvedLimits
  readonly #channels = new Set<string>()
  #wire: Duplex | undefined
  #joining = 0
  #windowStart = 0
  #windowCount = 0
  #warned = false

  /** @internal */
  constructor(
    id: string,
    ws: WebSocket,
    c: Context,
    user: string | undefined,
    engine: Engine,
    limits: ResolvedLimits,
  ) {
    this.id = id
    this.#ws = ws
    this.c = c
    this.user = user
    this.#engine = engine
    this.#limits = limits
    this.limits = limits
    this.data = {} as S
  }

  /** The route's params, typed from its path. */
  get params(): P {
    return this.c.params as P
  }

  /** The channels this socket is in. */
  get channels(): ReadonlySet<string> {
    return this.#channels
  }

  /** The raw `ws` WebSocket, for what this class does not cover. */
  get raw(): WebSocket {
    return this.#ws
  }

  /** Sends `{ event, data }` to this socket only. */
  send(event: string, data?: unknown): void {
    this.sendFrame(JSON.stringify({ event, data }))
  }

  /**
   * Joins `channel` after its `authorize(c, params)` hook agrees.
   * @throws TRUSS_ERR_REALTIME_CHANNEL_UNKNOWN, TRUSS_ERR_REALTIME_CHANNEL_FORBIDDEN,
   *   TRUSS_ERR_REALTIME_CHANNEL_LIMIT
   */
  async join(channel: string, meta?: unknown): Promise<void> {
    if (this.#channels.has(channel)) return
    const limit = this.#limits.maxChannels
    if (this.#channels.size + this.#joining >= limit) throw realtimeErrors.CHANNEL_LIMIT({ limit })
    this.#joining++
    try {
      await this.#engine.join(this, channel, this.c, meta)
    } finally {
      this.#joining--
    }
    this.#channels.add(channel)
    if (this.#ws.readyState !== 1) this.leave(channel)
  }

  /** Leaves `channel` (its presence entry too). */
  leave(channel: string): void {
    if (!this.#channels.delete(channel)) return
    this.#engine.leave(this, channel)
  }

  /** Broadcasts to `channel`, in every process, except to this socket. */
  broadcast(channel: string, event: string, data?: unknown): Promise<void> {
    return this.#engine.publish(channel, event, data, this.id)
  }

  /** Closes with `code` (1000: normal) after what is queued is written. */
  close(code = 1000, reason = ""): void {
    this.#ws.close(code, reason)
  }

  /** Sends an error frame `{ event: "error", data: { code, message, ...extensions } }`. */
  error(err: TrussError): void {
    const data: Record<string, unknown> = {
      code: err.code,
      message: err.expose ? err.message : "Internal error",
    }
    if (err.extensions) Object.assign(data, err.extensions)
    this.sendFrame(JSON.stringify({ event: "error", data }))
  }

  /**
   * Broadcasts go straight to `wire`, the upgrade's socket that `ws` writes to, as one
   * prebuilt frame. Only without extensions: then `ws` writes every frame of its own
   * synchronously (nothing is queued to compress), so the order of frames is kept.
   * @internal
   */
  useWire(wire: Duplex): void {
    if (this.#ws.extensions === "") this.#wire = wire
  }

  /** @internal */
  deliver(d: Delivery): void {
    if (!this.#writable()) return
    if (this.#wire !== undefined) this.#wire.write(d.wsFrame)
    else this.#ws.send(d.bytes, TEXT)
  }

  /** Writes a frame unless the client is too far behind (backpressure). @internal */
  sendFrame(frame: string | Buffer): void {
    if (this.#writable()) this.#ws.send(frame, TEXT)
  }

  /** Open and not too far behind (backpressure: drops or closes as configured). */
  #writable(): boolean {
    const ws = this.#ws
    if (ws.readyState !== 1) return false
    const { maxBuffered, action } = this.#limits.backpressure
    if (ws.bufferedAmount <= maxBuffered) return true
    this.dropped++
    if (action === "close") this.#cut(1013, "slow consumer")
    return false
  }

  /** Counts a message against the rate limit; false when it must be dropped. @internal */
  admit(now: number): boolean {
    this.lastSeen = now
    const rate = this.#limits.rateLimit
    if (rate === undefined) return true
    if (now - this.#windowStart >= rate.interval) {
      this.#windowStart = now
      this.#windowCount = 0
      this.#warned = false
    }
    if (++this.#windowCount <= rate.messages) return true
    if (rate.action === "close") this.#cut(1008, "rate limit")
    return false
  }

  /** Whether the rate-limit error frame is still to be sent this window. @internal */
  warnOnce(): boolean {
    if (this.#warned) return false
    this.#warned = true
    return true
  }

  /** @internal */
  leaveAll(): void {
    for (const channel of [...this.#channels]) this.leave(channel)
  }

  #cut(code: number, reason: string): void {
    const ws = this.#ws
    ws.close(code, reason)
    // A client that reads nothing never receives the close frame: do not wait for it.
    setTimeout(() => ws.terminate(), 1000).unref()
  }
}
