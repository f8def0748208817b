import type { IncomingMessage, Server, ServerResponse } from "node:http"
import type { ServerOptions as HttpsOptions } from "node:https"
import type { AddressInfo, Socket } from "node:net"
import { performance } from "node:perf_hooks"
import type { Context } from "../context.js"
import { echoRequestId, logRequest } from "../logging/request-log.js"
import { NodeRequest } from "./node-request.js"
import { replaceUnsendable } from "./unsendable.js"
import { onUpgrade, type UpgradeHandler } from "./upgrade.js"
import { writeNode } from "./write-node.js"

/**
 * Options for `app.listen()`. Timeouts keep slow clients (slowloris) from holding sockets.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App().get("/", () => "ok")
 * await app.listen({ port: 8080, host: "0.0.0.0", headersTimeout: 5_000, shutdownTimeout: 20_000 })
 * ```
 */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. @default 3000 */
  port?: number
  /** Interface to bind. Use "0.0.0.0" in containers. @default "127.0.0.1" */
  host?: string
  /** TLS key and certificate: serve HTTPS. */
  https?: HttpsOptions
  /** Idle keep-alive time in ms. @default 72000 */
  keepAliveTimeout?: number
  /** Time allowed to receive all request headers, in ms. @default 10000 */
  headersTimeout?: number
  /** Time allowed to receive a whole request, in ms. @default 30000 */
  requestTimeout?: number
  /** Largest request header block in bytes. @default 16384 */
  maxHeaderSize?: number
  /** Time in-flight requests get to finish on close before sockets are cut, in ms. @default 10000 */
  shutdownTimeout?: number
  /** Close gracefully on SIGTERM and SIGINT, then exit. @default true */
  signals?: boolean
}

/**
 * A running server.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App().get("/", () => "ok")
 * const server = await app.listen({ port: 0 })
 * const res = await fetch(`${server.url}/`)
 * await server.close()
 * ```
 */
export interface TrussServer {
  /** The node server. */
  readonly server: Server
  /** The bound port. */
  readonly port: number
  /** e.g. `http://127.0.0.1:3000`. */
  readonly url: string
  /** Stops accepting, finishes in-flight requests, closes idle keep-alive sockets. */
  close(): Promise<void>
}

/** What `listen` needs from the app. */
export interface Servable {
  handle(req: NodeRequest): Context | Promise<Context>
  close(): Promise<void>
  readonly log: import("pino").Logger
}

/** Starts a node:http server for the app. @internal */
export async function listen(
  app: Servable,
  options: ListenOptions,
  logRequests: boolean,
): Promise<TrussServer> {
  let closing = false
  // Open connections. close() destroys those that never sent a byte: node counts them
  // as busy, so it would wait for the client (undici keeps a spare one) or for
  // headersTimeout. (Checked then, by bytesRead, not tracked per request.)
  const sockets = new Set<Socket>()

  // Hot path: no per-request closures or listeners unless logging needs them.
  const send = (c: Context, res: ServerResponse, started: number) => {
    if (closing) c.header("connection", "close")
    if (!logRequests) {
      writeNode(c, res)
      return
    }
    echoRequestId(c)
    // A whole body has ended by now: log at once; a stream is logged when it finishes.
    if (writeNode(c, res)) logRequest(c, started)
    else res.once("finish", () => logRequest(c, started))
  }
  const respond = (c: Context, res: ServerResponse, started: number) => {
    try {
      send(c, res, started)
    } catch (err) {
      // node refused the head (a header value it cannot send): answer 500 instead.
      if (res.headersSent) return crash(app, res, err)
      replaceUnsendable(c, err)
      send(c, res, started)
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = logRequests ? performance.now() : 0
    let result: Context | Promise<Context>
    try {
      result = app.handle(new NodeRequest(req))
    } catch (err) {
      return crash(app, res, err)
    }
    if (result instanceof Promise) {
      result.then(
        (c) => respond(c, res, started),
        (err) => crash(app, res, err),
      )
    } else respond(result, res, started)
  }

  const headersTimeout = options.headersTimeout ?? 10_000
  const serverOptions = {
    maxHeaderSize: options.maxHeaderSize ?? 16384,
    // Node checks the header/request timeouts only this often (default 30 s), which
    // would let a slowloris client hold a socket for up to 40 s despite a 10 s limit.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, headersTimeout)),
  }
  const server: Server = options.https
    ? // node:http(s) load here, not with `import "truss"` (app.request() needs neither).
      (await import("node:https")).createServer({ ...options.https, ...serverOptions }, onRequest)
    : (await import("node:http")).createServer(serverOptions, onRequest)
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })
  // Handlers that took a socket from this server: told to close their sockets on close().
  const upgraded = new Set<UpgradeHandler>()
  server.on(
    "upgrade",
    onUpgrade(app, upgraded, () => closing),
  )
  server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000
  server.headersTimeout = headersTimeout
  server.requestTimeout = options.requestTimeout ?? 30_000

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port, address } = server.address() as AddressInfo
  const host = address.includes(":") ? `[${address}]` : address
  const url = `${options.https ? "https" : "http"}://${host}:${port}`

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    if (closed) return closed
    closing = true
    closed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections()
        // Upgraded sockets are no longer node's HTTP connections: cut them too.
        for (const socket of sockets) socket.destroy()
      }, options.shutdownTimeout ?? 10_000)
      timer.unref()
      server.close(() => {
        clearTimeout(timer)
        resolve()
      })
      server.closeIdleConnections()
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy()
      for (const handler of upgraded) {
        Promise.resolve()
          .then(() => handler.close?.())
          .catch((err: unknown) => app.log.error({ err }, "closing upgraded sockets failed"))
      }
    })
    if (signalHandler) for (const s of SIGNALS) process.off(s, signalHandler)
    return closed
  }

  let signalHandler: ((signal: NodeJS.Signals) => void) | undefined
  if (options.signals ?? true) {
    signalHandler = (signal) => {
      app.log.info({ signal }, "shutting down")
      app.close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, "shutdown failed")
          process.exit(1)
        },
      )
    }
    for (const s of SIGNALS) process.once(s, signalHandler)
  }

  return { server, port, url, close }
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const

function crash(app: Servable, res: ServerResponse, err: unknown) {
  app.log.error({ err }, "request failed before a response was built")
  if (res.headersSent) return res.destroy()
  res.writeHead(500, { "content-type": "application/problem+json" })
  res.end(
    '{"type":"about:blank","title":"Internal Server Error","status":500,"code":"TRUSS_ERR_INTERNAL"}',
  )
}
