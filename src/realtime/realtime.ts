import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { WebSocket } from "ws"
import {
  type App,
  type Context,
  type Middleware,
  type PathParams,
  randomString,
  TrussError,
} from "../kit.js"
import type { Backplane } from "./backplanes/backplane.js"
import { memoryBackplane } from "./backplanes/memory.js"
import {
  type ChannelDef,
  type ChannelOptions,
  type ChannelTypes,
  compileChannel,
  type EventsFor,
  type EventsOf,
  matchChannel,
} from "./channels.js"
import { realtimeErrors } from "./errors.js"
import { Hub, type Member } from "./hub.js"
import { type RealtimeOptions, type ResolvedLimits, resolveLimits } from "./options.js"
import { Presence, type PresenceEntry } from "./presence.js"
import { RealtimeSocket } from "./socket.js"
import { Sockets } from "./sockets.js"
import { type SseOptions, sseHandler } from "./sse.js"
import {
  type MessageOf,
  type RouteHost,
  type WsHandlers,
  WsRoute,
  type WsRouteOptions,
} from "./ws-route.js"

/**
 * WebSocket and SSE routes, channels and presence for one app, over a backplane.
 * Made by {@link realtime}.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { realtime } from "truss/realtime"
 * import { z } from "zod"
 * const app = new App()
 * const rt = realtime(app)
 * rt.channel("rooms/:id", { presence: true })
 * rt.ws("/rooms/:id", {
 *   open: (socket) => socket.join(`rooms/${socket.params.id}`, { name: "guest" }),
 *   message: (socket, msg) => rt.publish(`rooms/${socket.params.id}`, "said", { from: socket.id, text: msg.text }),
 * }, { message: z.object({ text: z.string().max(500) }) })
 * rt.sse("/rooms/:id/events", { channels: (c) => [`rooms/${c.params.id}`] })
 * // WebSocket routes need a socket: await app.listen({ port: 3000 })
 * ```
 */
export class Realtime<C extends ChannelTypes = {}> {
  /** The declared channels' types, for the typed client; never set at runtime. */
  declare readonly "~channels"?: C
  /** This process's id on the backplane. */
  readonly node: string
  /** Resolves once presence is subscribed on the backplane. */
  readonly ready: Promise<void>
  readonly #app: App
  readonly #options: RealtimeOptions
  readonly #limits: ResolvedLimits
  readonly #backplane: Backplane
  readonly #ownBackplane: boolean
  readonly #hub: Hub
  readonly #presence: Presence
  readonly #channels: ChannelDef[] = []
  readonly #sockets = new Sockets()
  #closed: Promise<void> | undefined

  /** @internal Use {@link realtime}. */
  constructor(app: App, options: RealtimeOptions = {}) {
    this.#app = app
    this.#options = options
    this.#limits = resolveLimits(options)
    this.node = randomString(6, "hex")
    this.#ownBackplane = options.backplane === undefined
    this.#backplane = options.backplane ?? memoryBackplane()
    this.#hub = new Hub(
      this.node,
      this.#backplane,
      app.log,
      (ch) => this.#defOf(ch)?.def.options.history ?? 100,
    )
    const interval = options.presence?.interval ?? 5000
    const ttl = options.presence?.ttl ?? 15000
    if (!(interval > 0 && ttl > interval)) {
      throw realtimeErrors.BAD_OPTION({
        option: "presence",
        value: JSON.stringify(options.presence),
        expected: "interval > 0 and ttl > interval",
      })
    }
    this.#presence = new Presence(this.#hub, this.#backplane, app.log, interval, ttl)
    this.#backplane.onReconnect(() => this.#hub.reconnected())
    this.ready = this.#presence.ready
    this.#host.origins = options.origins
    this.#host.requireOrigin = options.requireOrigin ?? false
    app.onClose(() => this.close())
  }

  /** Open WebSockets in this process. */
  get connections(): number {
    return this.#sockets.size
  }

  /**
   * Declares channels matching `pattern` (`"rooms/:id"`): who may join, presence, history.
   * A connection can join only a declared channel.
   */
  channel<P extends string, const O extends ChannelOptions<P> = ChannelOptions<P>>(
    pattern: P,
    options: O = {} as O,
  ): Realtime<C & { [K in P]: EventsOf<O["events"]> }> {
    this.#channels.push(compileChannel(pattern, options as ChannelOptions))
    return this as Realtime<C & { [K in P]: EventsOf<O["events"]> }>
  }

  /**
   * Adds a WebSocket route at `path` (params typed from it, as for HTTP routes). The
   * app's and the route's middleware run at the upgrade; the socket keeps that context.
   */
  ws<
    Path extends string,
    M extends StandardSchemaV1 | undefined = undefined,
    S = Record<string, unknown>,
  >(
    path: Path,
    handlers: WsHandlers<PathParams<Path>, MessageOf<M>, S>,
    options: WsRouteOptions<M> = {},
  ): this {
    const route = new WsRoute(
      this.#host,
      handlers as WsHandlers<object, unknown, unknown>,
      options,
      resolveLimits(options, this.#limits),
    )
    const chain: Middleware[] = [route.middleware(options), ...(options.middleware ?? [])]
    const routeOptions = options.name === undefined ? {} : { name: options.name }
    ;(this.#app.get as (p: string, o: object, ...rest: unknown[]) => unknown)(
      path,
      routeOptions,
      ...chain,
      route.handler(),
    )
    this.#sockets.watch(route.limits)
    return this
  }

  /**
   * Adds a Server-Sent Events route delivering the same channels (works through
   * `app.fetch()` too). `Last-Event-ID` resumes from the channels' bounded history.
   */
  sse<Path extends string>(path: Path, options: SseOptions<PathParams<Path>>): this {
    const handler = sseHandler(options as SseOptions<object>, {
      join: (m, ch, c) => this.#join(m, ch, c, undefined),
      leave: (m, ch) => this.#leave(m, ch),
      since: (ch, id) => this.#hub.since(ch, id),
      user: (c) => this.#options.user?.(c),
      addUser: (m) => this.#hub.addUser(m),
      removeUser: (m) => this.#hub.removeUser(m),
    })
    const routeOptions = options.name === undefined ? {} : { name: options.name }
    ;(this.#app.get as (p: string, o: object, ...rest: unknown[]) => unknown)(
      path,
      routeOptions,
      ...(options.middleware ?? []),
      handler,
    )
    return this
  }

  /** Broadcasts `{ channel, event, data, id }` to every member of `channel`, in every process. */
  publish<N extends string, E extends keyof EventsFor<C, N> & string>(
    channel: N,
    event: E,
    data?: EventsFor<C, N>[E],
    options: { except?: string } = {},
  ): Promise<void> {
    return this.#hub.publish(channel, event, data, options.except)
  }

  /** Sends `{ event, data }` to every connection of `user`, in every process. */
  toUser(user: string, event: string, data?: unknown): Promise<void> {
    return this.#hub.toUser(user, event, data)
  }

  /** How many sockets and SSE streams of this process are in `channel`. */
  subscribers(channel: string): number {
    return this.#hub.members(channel).size
  }

  /** Who is in `channel`, across every live process. */
  presence(channel: string): PresenceEntry[] {
    return this.#presence.list(channel)
  }

  /**
   * Graceful shutdown: closes every socket with 1001 once what is queued for it is
   * written, cuts those that do not finish within `shutdownTimeout`, then stops presence
   * and the backplane it created. Runs on `app.close()` too.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#shutdownSockets()
      await this.#presence.close()
      await this.#hub.close()
      if (this.#ownBackplane) await this.#backplane.close()
    })()
    return this.#closed
  }

  #shutdownSockets(): Promise<void> {
    return this.#sockets.shutdown(this.#options.shutdownTimeout ?? 5000)
  }

  readonly #host: RouteHost = {
    origins: undefined,
    requireOrigin: false,
    open: (ws: WebSocket, c: Context, route: WsRoute) => this.#open(ws, c, route),
    handleError: (socket: RealtimeSocket, err: unknown, where: string) =>
      this.#handleError(socket, err, where),
    control: (socket: RealtimeSocket, op: "join" | "leave", channel: string) =>
      this.#control(socket, op, channel),
    shutdown: () => this.#shutdownSockets(),
  }

  #open(ws: WebSocket, c: Context, route: WsRoute): RealtimeSocket | undefined {
    if (this.#sockets.closing) {
      ws.close(1001, "server shutting down")
      return undefined
    }
    const socket = new RealtimeSocket(
      randomString(9, "base64url"),
      ws,
      c,
      this.#options.user?.(c),
      this.#engine,
      route.limits,
    )
    this.#sockets.add(socket)
    ws.on("error", (err) => c.log.debug({ err }, "realtime: socket error"))
    ws.on("pong", () => {
      socket.alive = true
    })
    ws.once("close", (code, reason) => {
      this.#sockets.delete(socket)
      socket.leaveAll()
      this.#hub.removeUser(socket)
      this.#call(socket, "close", () => route.handlers.close?.(socket, code, reason.toString()))
    })
    this.#hub
      .addUser(socket)
      .catch((err: unknown) => c.log.error({ err }, "realtime: user subscription failed"))
    this.#call(
      socket,
      "open",
      () => route.handlers.open?.(socket),
      () => socket.close(1011, "open failed"),
    )
    return socket
  }

  #call(socket: RealtimeSocket, where: string, fn: () => unknown, onError?: () => void): void {
    const fail = (err: unknown) => {
      this.#handleError(socket, err, where)
      onError?.()
    }
    try {
      const done = fn()
      if (done instanceof Promise) done.catch(fail)
    } catch (err) {
      fail(err)
    }
  }

  #handleError(socket: RealtimeSocket, err: unknown, where: string): void {
    if (err instanceof TrussError && err.status < 500) {
      socket.error(err)
      return
    }
    socket.c.log.error({ err, where }, "realtime: a handler failed")
    socket.error(realtimeErrors.HANDLER_FAILED(undefined, { cause: err }))
  }

  #control(socket: RealtimeSocket, op: "join" | "leave", channel: string): void {
    if (op === "leave") {
      socket.leave(channel)
      socket.sendFrame(JSON.stringify({ event: "left", channel }))
      return
    }
    socket.join(channel).then(
      () => {
        const data = this.#defOf(channel)?.def.options.presence
          ? { presence: this.presence(channel) }
          : {}
        socket.sendFrame(JSON.stringify({ event: "joined", channel, data }))
      },
      (err: unknown) => {
        if (err instanceof TrussError && err.status < 500) {
          socket.sendFrame(
            JSON.stringify({
              event: "error",
              channel,
              data: { code: err.code, message: err.message },
            }),
          )
        } else this.#handleError(socket, err, "join")
      },
    )
  }

  readonly #engine = {
    join: (m: Member, ch: string, c: Context, meta: unknown) => this.#join(m, ch, c, meta),
    leave: (m: Member, ch: string) => this.#leave(m, ch),
    publish: (ch: string, event: string, data: unknown, except?: string) =>
      this.#hub.publish(ch, event, data, except),
  }

  #defOf(channel: string) {
    return matchChannel(this.#channels, channel)
  }

  async #join(member: Member, channel: string, c: Context, meta: unknown): Promise<void> {
    const match = this.#defOf(channel)
    if (match === undefined) throw realtimeErrors.CHANNEL_UNKNOWN({ channel })
    const { authorize, presence } = match.def.options
    if (authorize !== undefined && !(await authorize(c, match.params)))
      throw realtimeErrors.CHANNEL_FORBIDDEN({ channel })
    await this.#hub.join(member, channel)
    if (!presence) return
    const shown = meta ?? (typeof presence === "function" ? await presence(c, match.params) : null)
    this.#presence.join(channel, { id: member.id, user: member.user, meta: shown ?? null })
  }

  #leave(member: Member, channel: string): void {
    this.#hub.leave(member, channel)
    if (this.#defOf(channel)?.def.options.presence) this.#presence.leave(channel, member.id)
  }
}

/**
 * Adds realtime to an app: `ws()` and `sse()` routes, channels, presence and broadcasts,
 * over the memory backplane (one process) or Redis or PostgreSQL (many). WebSocket routes
 * need `app.listen()`; SSE routes work through `app.fetch()` too.
 * @param app - The app to add routes to; its `close()` closes realtime too.
 * @param options - Backplane, Origin allow-list, limits, how to find a connection's user.
 * @throws TRUSS_ERR_REALTIME_BAD_OPTION when a limit is not a positive number.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { realtime } from "truss/realtime"
 * const app = new App()
 * const rt = realtime(app, { origins: ["https://chat.example"], maxMessageSize: 64 * 1024 })
 * rt.channel("lobby")
 * rt.ws("/ws", { open: (socket) => socket.join("lobby") })
 * ```
 */
export function realtime(app: App, options: RealtimeOptions = {}): Realtime {
  const rt = new Realtime(app, options)
  return rt
}
