import type { IncomingMessage } from "node:http"
import type { Readable } from "node:stream"
import type { TLSSocket } from "node:tls"
import { TrussRequest } from "../request.js"

/** `c.req` over node:http: reads straight from `IncomingMessage`, no web Request built. */
export class NodeRequest extends TrussRequest {
  readonly #req: IncomingMessage
  #headers: Headers | undefined
  #abort: AbortController | undefined

  constructor(req: IncomingMessage) {
    super(req.method ?? "GET", originForm(req.url ?? "/"))
    this.#req = req
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name]
    return Array.isArray(value) ? value.join(", ") : value
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers()
      const raw = this.#req.rawHeaders
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!)
      this.#headers = headers
    }
    return this.#headers
  }

  get raw(): IncomingMessage {
    return this.#req
  }

  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      const controller = new AbortController()
      this.#abort = controller
      const res = (this.#req as IncomingMessage & { res?: { writableFinished: boolean } }).res
      const socket = this.#req.socket
      // Asked for after the client left: the close event has already fired.
      if (socket.destroyed) {
        if (!res?.writableFinished) controller.abort()
      } else {
        socket.once("close", () => {
          if (!res?.writableFinished) controller.abort()
        })
      }
    }
    return this.#abort.signal
  }

  get remoteAddress(): string | undefined {
    return this.#req.socket.remoteAddress
  }

  protected get encrypted(): boolean {
    return (this.#req.socket as TLSSocket).encrypted === true
  }

  protected bodyStream(): Readable | undefined {
    return this.#req
  }
}

const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i

/**
 * The path and query of a request target. Proxies may send the absolute form
 * (`GET http://host/path`); keeping it would put the host into `c.req.path` and into
 * trailing-slash redirects (an open redirect to that host).
 */
function originForm(target: string): string {
  if (target.charCodeAt(0) === 47) return target
  const m = ABSOLUTE_FORM.exec(target)
  if (m === null) return target
  const rest = target.slice(m[0].length)
  return rest.charCodeAt(0) === 47 ? rest : `/${rest}`
}
