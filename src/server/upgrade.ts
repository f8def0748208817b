/**
 * The generic HTTP upgrade hook. On an `Upgrade:` request, `listen()` runs the app's
 * route chain for the path (so route middleware such as sessions, cookies and rate
 * limits runs at the upgrade). A route handler that wants the socket calls
 * {@link acceptUpgrade}; once the chain has finished, the core hands the raw
 * `(req, socket, head)` to the handler it registered. Otherwise the socket gets the
 * chain's HTTP response (404, 403, 429 …, or 426 when a route answered without taking
 * the socket) and is destroyed. The core knows no protocol: a battery brings its own.
 * @module
 */
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import type { Context } from "../context.js"
import type { TrussRequest } from "../request.js"
import { nodeHttp } from "../util/lazy.js"
import { isWhole } from "./body.js"
import type { Servable } from "./listen.js"
import { NodeRequest } from "./node-request.js"

/**
 * The raw connection of an upgrade request, as node's `'upgrade'` event gives it.
 * @internal
 */
export interface Upgrade {
  /** The request; its body is empty. */
  readonly req: IncomingMessage
  /** The socket, now owned by the handler. */
  readonly socket: Duplex
  /** Bytes already read past the request head (may be empty). */
  readonly head: Buffer
}

/**
 * Takes over an accepted upgrade. `upgrade` runs once the route chain has finished with
 * a success status (so headers set by middleware after `next()`, e.g. a session cookie,
 * are in `c.headers`); `close` runs when a server that handed it a socket closes, before
 * the server waits for its connections: close the sockets there.
 * @internal
 */
export interface UpgradeHandler {
  upgrade(upgrade: Upgrade, c: Context): void
  close?(): void | Promise<void>
}

interface Pending {
  readonly upgrade: Upgrade
  handler: UpgradeHandler | undefined
}

const pending = new WeakMap<TrussRequest, Pending>()

/**
 * Claims the socket of an upgrade request for `handler`. Returns false when `c` is not an
 * upgrade request (a plain GET, or `app.fetch()`, which has no socket): answer 426 then.
 * @internal
 */
export function acceptUpgrade(c: Context, handler: UpgradeHandler): boolean {
  const entry = pending.get(c.req)
  if (entry === undefined) return false
  entry.handler = handler
  return true
}

/** Marks `req` as an upgrade over `upgrade`; `listen()` calls it. @internal */
export function beginUpgrade(req: TrussRequest, upgrade: Upgrade): void {
  pending.set(req, { upgrade, handler: undefined })
}

/**
 * Finishes an upgrade after its chain ran: hands the socket to the handler that accepted
 * it, or writes the chain's response (426 for an unclaimed success) and destroys it.
 * Returns the handler that took the socket. @internal
 */
export function finishUpgrade(c: Context): UpgradeHandler | undefined {
  const entry = pending.get(c.req)
  if (entry === undefined) return undefined
  pending.delete(c.req)
  const { socket } = entry.upgrade
  if (entry.handler !== undefined && c.status < 300) {
    entry.handler.upgrade(entry.upgrade, c)
    return entry.handler
  }
  if (c.status < 300) {
    refuseUpgrade(socket, 426, { "content-type": "text/plain; charset=utf-8" }, "Upgrade Required")
  } else {
    const body = isWhole(c.body) ? (c.body ?? "") : ""
    refuseUpgrade(socket, c.status, c.headers, body)
  }
  return undefined
}

/**
 * Writes a whole HTTP/1.1 response on a raw socket and destroys it once written.
 * @internal
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  headers: Readonly<Record<string, string | readonly string[]>> = {},
  body: string | Uint8Array = "",
): void {
  if (socket.destroyed) return
  const bytes = typeof body === "string" ? Buffer.from(body) : Buffer.from(body)
  let head = `HTTP/1.1 ${status} ${nodeHttp().STATUS_CODES[status] ?? "Error"}\r\n`
  for (const [name, value] of Object.entries(headers)) {
    if (name === "content-length" || name === "connection" || name === "transfer-encoding") continue
    for (const one of typeof value === "string" ? [value] : value) head += `${name}: ${one}\r\n`
  }
  head += `connection: close\r\ncontent-length: ${bytes.byteLength}\r\n\r\n`
  socket.end(Buffer.concat([Buffer.from(head, "latin1"), bytes]), () => socket.destroy())
  // A peer that never reads would keep the socket half-open: cut it soon regardless.
  setTimeout(() => socket.destroy(), 1000).unref()
}

function destroyOnError(this: Duplex): void {
  this.destroy()
}

/**
 * The listener of node's `'upgrade'` event for `app`: runs the route chain, then
 * {@link finishUpgrade}. Handlers that took a socket are added to `upgraded`. @internal
 */
export function onUpgrade(
  app: Servable,
  upgraded: Set<UpgradeHandler>,
  closing: () => boolean,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const fail = (socket: Duplex, err: unknown) => {
    app.log.error({ err }, "upgrade failed before a response was built")
    refuseUpgrade(socket, 500)
  }
  const done = (c: Context) => {
    const handler = finishUpgrade(c)
    if (handler !== undefined) upgraded.add(handler)
  }
  return function upgrade(req, socket, head) {
    // A peer that resets mid-handshake must not crash the process.
    socket.on("error", destroyOnError)
    if (closing()) return refuseUpgrade(socket, 503)
    const request = new NodeRequest(req)
    beginUpgrade(request, { req, socket, head })
    let result: Context | Promise<Context>
    try {
      result = app.handle(request)
    } catch (err) {
      return fail(socket, err)
    }
    if (result instanceof Promise) result.then(done, (err) => fail(socket, err))
    else done(result)
  }
}

/**
 * The `'upgrade'` listener for an app served without `listen()`: what an in-process
 * test client attaches to a node server it feeds its own streams. @internal
 */
export function upgradeListener(
  app: Servable,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return onUpgrade(app, new Set(), () => false)
}
