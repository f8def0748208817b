import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import { TrussRequest } from "../request.js"

/**
 * Extra facts a fetch host may know about the connection.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App().get("/ip", (c) => ({ ip: c.req.ip }))
 * const res = await app.fetch(new Request("https://example.com/ip"), { remoteAddress: "203.0.113.9" })
 * ```
 */
export interface FetchInfo {
  /** The client's address, if the host tells it. */
  remoteAddress?: string
}

/** `c.req` over a web `Request`, for `app.fetch()` and `app.request()`. */
export class WebRequest extends TrussRequest {
  readonly #req: Request
  readonly #info: FetchInfo | undefined
  readonly #https: boolean

  constructor(req: Request, info?: FetchInfo) {
    const url = req.url
    const start = url.indexOf("/", url.indexOf("//") + 2)
    super(req.method, start === -1 ? "/" : url.slice(start).split("#")[0]!)
    this.#req = req
    this.#info = info
    this.#https = url.startsWith("https:")
  }

  header(name: string): string | undefined {
    const value = this.#req.headers.get(name)
    if (value === null) return name === "host" ? new URL(this.#req.url).host : undefined
    return value
  }

  get headers(): Headers {
    return this.#req.headers
  }

  get raw(): Request {
    return this.#req
  }

  get signal(): AbortSignal {
    return this.#req.signal
  }

  get remoteAddress(): string | undefined {
    return this.#info?.remoteAddress
  }

  protected get encrypted(): boolean {
    return this.#https
  }

  protected bodyStream(): Readable | undefined {
    const body = this.#req.body
    return body ? Readable.fromWeb(body as NodeReadableStream<Uint8Array>) : undefined
  }
}
