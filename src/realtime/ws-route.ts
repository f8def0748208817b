import type { IncomingMessage } from "node:http"
import type { StandardSchemaV1 } from "@standard-schema/spec"
import { type WebSocket, WebSocketServer } from "ws"
import {
  acceptUpgrade,
  type Context,
  type Middleware,
  type TrussError,
  type Upgrade,
  type UpgradeHandler,
} from "../kit.js"
import { realtimeErrors } from "./errors.js"
import { parseFrame, validate } from "./messages.js"
import {
  type OriginPolicy,
  originAllowed,
  type ResolvedLimits,
  type SocketLimits,
} from "./options.js"
import type { RealtimeSocket } from "./socket.js"

/**
 * The handlers of a WebSocket route. Each may be async; an error thrown by `message` is
 * logged and answered with a `TRUSS_ERR_REALTIME_HANDLER_FAILED` error frame (the socket
 * stays open), one thrown by `open` closes the socket with 1011.
 * @example
 * ```ts
 * import type { WsHandlers } from "truss/realtime"
 * const echo: WsHandlers<{ id: string }, { text: string }> = {
 *   message(socket, data) {
 *     socket.send("echo", { room: socket.params.id, text: data.text })
 *   },
 * }
 * ```
 */
export interface WsHandlers<P extends object, M, S = Record<string, unknown>> {
  /** The socket is open: join channels, send a welcome. */
  open?(socket: RealtimeSocket<P, S>): unknown
  /** A message arrived, parsed from JSON and validated by the route's `message` schema. */
  message?(socket: RealtimeSocket<P, S>, data: M): unknown
  /** The socket closed (the client left, a limit closed it, or the server shut down). */
  close?(socket: RealtimeSocket<P, S>, code: number, reason: string): unknown
}

/**
 * Options of one WebSocket route: its message schema, its own limits and Origin policy,
 * and route middleware that runs at the upgrade.
 * @example
 * ```ts
 * import type { WsRouteOptions } from "truss/realtime"
 * import { z } from "zod"
 * const options: WsRouteOptions<z.ZodObject<{ text: z.ZodString }>> = {
 *   message: z.object({ text: z.string().max(500) }),
 *   maxMessageSize: 4096,
 *   origins: ["https://chat.example"],
 * }
 * ```
 */
export interface WsRouteOptions<M extends StandardSchemaV1 | undefined = undefined>
  extends SocketLimits {
  /** Any Standard Schema (zod, valibot, arktype); an invalid message gets an error frame. */
  message?: M
  /** Origins allowed to open this route. @default the `realtime()` policy */
  origins?: OriginPolicy
  /** Refuse (403) upgrades without an `Origin` header. @default the `realtime()` setting */
  requireOrigin?: boolean
  /** Route middleware, run at the upgrade after the app's (auth checks, rate limits). */
  middleware?: readonly Middleware[]
  /** A route name, for `app.url()`. */
  name?: string
  /** Let clients join and leave channels with `{ "$": "join", "channel": "…" }` frames. @default true */
  clientChannels?: boolean
}

/**
 * The message type a route's schema gives (`unknown` without a schema).
 * @example
 * ```ts
 * import type { MessageOf } from "truss/realtime"
 * import { z } from "zod"
 * const schema = z.object({ text: z.string() })
 * const message: MessageOf<typeof schema> = { text: "hi" }
 * ```
 */
export type MessageOf<M> = M extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<M> : unknown

/** What a route needs from its `Realtime`. @internal */
export interface RouteHost {
  origins: OriginPolicy | undefined
  requireOrigin: boolean
  open(ws: WebSocket, c: Context, route: WsRoute): RealtimeSocket | undefined
  handleError(socket: RealtimeSocket, err: unknown, where: string): void
  control(socket: RealtimeSocket, op: "join" | "leave", channel: string): void
  /** Closes every socket with 1001 (idempotent): a server that handed them over is closing. */
  shutdown(): Promise<void>
}

/** One registered `ws()` route. @internal */
export class WsRoute {
  readonly handlers: WsHandlers<object, unknown, unknown>
  readonly limits: ResolvedLimits
  readonly clientChannels: boolean
  readonly #schema: StandardSchemaV1 | undefined
  readonly #host: RouteHost
  readonly #server: WebSocketServer
  readonly #contexts = new WeakMap<IncomingMessage, Context>()

  constructor(
    host: RouteHost,
    handlers: WsHandlers<object, unknown, unknown>,
    options: WsRouteOptions<StandardSchemaV1 | undefined>,
    limits: ResolvedLimits,
  ) {
    this.#host = host
    this.handlers = handlers
    this.limits = limits
    this.clientChannels = options.clientChannels ?? true
    this.#schema = options.message
    this.#server = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageSize,
      clientTracking: false,
      perMessageDeflate: false,
    })
    // The 101 response carries what middleware set, e.g. a fresh session cookie.
    this.#server.on("headers", (headers: string[], req: IncomingMessage) => {
      const c = this.#contexts.get(req)
      const cookies = c?.headers["set-cookie"]
      if (cookies !== undefined)
        for (const line of typeof cookies === "string" ? [cookies] : cookies)
          headers.push(`set-cookie: ${line}`)
    })
  }

  /** The route chain's last step: check the Origin, then claim the socket. */
  middleware(options: WsRouteOptions<StandardSchemaV1 | undefined>): Middleware {
    const policy = options.origins ?? this.#host.origins
    const required = options.requireOrigin ?? this.#host.requireOrigin
    return async function checkOrigin(c, next) {
      if (!originAllowed(c, policy, required))
        throw realtimeErrors.ORIGIN_REFUSED({ origin: c.req.header("origin") ?? "(none)" })
      await next()
    }
  }

  handler(): (c: Context) => unknown {
    const handler: UpgradeHandler = {
      upgrade: (u, c) => this.#upgrade(u, c),
      close: () => this.#host.shutdown(),
    }
    return function upgradeToWebSocket(c) {
      if (!acceptUpgrade(c, handler)) throw realtimeErrors.UPGRADE_REQUIRED()
      return null
    }
  }

  #upgrade(u: Upgrade, c: Context): void {
    this.#contexts.set(u.req, c)
    this.#server.handleUpgrade(u.req, u.socket, u.head, (ws) => {
      const socket = this.#host.open(ws, c, this)
      if (socket === undefined) return
      socket.useWire(u.socket)
      this.#wire(ws, socket)
    })
  }

  #wire(ws: WebSocket, socket: RealtimeSocket): void {
    const host = this.#host
    const schema = this.#schema
    const onMessage = this.handlers.message
    const deliver = (value: unknown) => {
      if (onMessage === undefined) return
      try {
        const done = onMessage(socket, value)
        if (done instanceof Promise)
          done.catch((err: unknown) => host.handleError(socket, err, "message"))
      } catch (err) {
        host.handleError(socket, err, "message")
      }
    }
    const checked = (r: { ok: true; value: unknown } | { ok: false; error: TrussError }) => {
      if (r.ok) deliver(r.value)
      else socket.error(r.error)
    }
    ws.on("message", (raw, binary) => {
      if (!socket.admit(Date.now())) {
        const rate = this.limits.rateLimit
        if (rate !== undefined && rate.action === "drop" && socket.warnOnce()) {
          socket.error(
            realtimeErrors.RATE_LIMITED({ limit: rate.messages, interval: rate.interval }),
          )
        }
        return
      }
      const parsed = parseFrame(raw, binary)
      if (parsed.kind === "error") return socket.error(parsed.error)
      if (parsed.kind === "control") {
        if (!this.clientChannels) return socket.error(realtimeErrors.MALFORMED_MESSAGE())
        return host.control(socket, parsed.control.op, parsed.control.channel)
      }
      const result = validate(schema, parsed.value)
      if (result instanceof Promise)
        result.then(checked, (err: unknown) => host.handleError(socket, err, "message"))
      else checked(result)
    })
  }
}
