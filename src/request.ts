import type { IncomingMessage } from "node:http"
import type { Readable } from "node:stream"
import { parseCookie } from "cookie"
import { collect } from "./body/collect.js"
import { type BodyLimits, DEFAULT_LIMITS, isJson, mediaType } from "./body/limits.js"
import { multipartForm, multipartParts, type Part } from "./body/multipart.js"
import { errors } from "./errors.js"
import type { TrustProxy } from "./server/trust-proxy.js"

/**
 * The incoming request, as `c.req`. The same API over node:http and the fetch
 * adapter. Everything derived (query, cookies, headers, URL) is parsed lazily.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App()
 * app.post("/notes", async (c) => {
 *   const note = await c.req.json<{ text: string }>()
 *   return { text: note.text, page: c.req.query.get("page"), ip: c.req.ip }
 * })
 * ```
 */
export abstract class TrussRequest {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string
  /** Path as received, still percent-encoded, without the query string. */
  readonly path: string
  /** Query string without the leading `?` (empty when there is none). */
  readonly search: string
  /** Body size limits for this route. */
  limits: BodyLimits = DEFAULT_LIMITS
  /** @internal */ trust: TrustProxy | undefined
  #query: URLSearchParams | undefined
  #cookies: Record<string, string> | undefined
  #buffered: Promise<Buffer> | undefined
  #form: Promise<FormData> | undefined
  #streamed = false

  constructor(method: string, target: string) {
    this.method = method
    const q = target.indexOf("?")
    this.path = q === -1 ? target : target.slice(0, q)
    this.search = q === -1 ? "" : target.slice(q + 1)
  }

  /** One request header by lower-case name; repeated headers are joined with `, `. */
  abstract header(name: string): string | undefined
  /** All request headers as a web `Headers` object. */
  abstract get headers(): Headers
  /** The platform request: node's `IncomingMessage` or the web `Request`. */
  abstract get raw(): IncomingMessage | Request
  /** Aborted when the client goes away. */
  abstract get signal(): AbortSignal
  /** The peer address of the socket, before proxy headers. */
  abstract get remoteAddress(): string | undefined
  /** True when the connection itself is TLS. */
  protected abstract get encrypted(): boolean
  /** The body as a node stream, or undefined when there is none. */
  protected abstract bodyStream(): Readable | undefined

  /** Query parameters; `query.getAll(name)` reads repeated keys. */
  get query(): URLSearchParams {
    if (this.#query === undefined) this.#query = new URLSearchParams(this.search)
    return this.#query
  }

  /** Request cookies by name. */
  get cookies(): Record<string, string> {
    if (this.#cookies === undefined) {
      const header = this.header("cookie")
      this.#cookies = header ? (parseCookie(header) as Record<string, string>) : {}
    }
    return this.#cookies
  }

  /** The client address: the socket peer, or from X-Forwarded-For when `trustProxy` allows. */
  get ip(): string | undefined {
    return this.trust ? this.trust.clientIp(this) : this.remoteAddress
  }

  /** `https` when TLS, or when a trusted proxy says so with X-Forwarded-Proto. */
  get protocol(): "http" | "https" {
    if (this.encrypted) return "https"
    if (this.trust?.trusts(this.remoteAddress)) {
      const proto = this.header("x-forwarded-proto")?.split(",")[0]?.trim()
      if (proto === "https") return "https"
    }
    return "http"
  }

  /** True when {@link protocol} is `https`. */
  get secure(): boolean {
    return this.protocol === "https"
  }

  /** The host the client asked for (X-Forwarded-Host from a trusted proxy). */
  get host(): string {
    const forwarded = this.trust?.trusts(this.remoteAddress) && this.header("x-forwarded-host")
    return (forwarded || this.header("host") || "localhost").split(",")[0]!.trim()
  }

  /** The full URL, e.g. `https://example.com/users/7?tab=posts`. */
  get url(): string {
    return `${this.protocol}://${this.host}${this.path}${this.search ? `?${this.search}` : ""}`
  }

  /** The lower-cased media type of the body, without parameters. */
  get contentType(): string {
    return mediaType(this.header("content-type"))
  }

  /**
   * Reads and parses a JSON body (`application/json` or `+json`).
   * @throws TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE (415), TRUSS_ERR_INVALID_JSON (400),
   * TRUSS_ERR_BODY_TOO_LARGE (413).
   */
  async json<T = unknown>(): Promise<T> {
    const type = this.contentType
    if (!isJson(type)) {
      throw errors.UNSUPPORTED_MEDIA_TYPE({ expected: "application/json", got: type })
    }
    const text = (await this.#buffer()).toString("utf8")
    try {
      return JSON.parse(text) as T
    } catch (cause) {
      throw errors.INVALID_JSON({ reason: (cause as Error).message }, { cause })
    }
  }

  /** Reads the body as UTF-8 text. @throws TRUSS_ERR_BODY_TOO_LARGE (413). */
  async text(): Promise<string> {
    return (await this.#buffer()).toString("utf8")
  }

  /** Reads the raw body bytes. @throws TRUSS_ERR_BODY_TOO_LARGE (413). */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const buf = await this.#buffer()
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
  }

  /**
   * Reads an urlencoded or multipart form into `FormData`; uploaded files become `File`s.
   * Reading it again returns the same `FormData`.
   * @throws TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE (415), TRUSS_ERR_MULTIPART_LIMIT (413).
   */
  form(): Promise<FormData> {
    // Cached: middleware (CSRF) and the handler may both read the same form.
    if (this.#form === undefined) this.#form = this.#readForm()
    return this.#form
  }

  async #readForm(): Promise<FormData> {
    const type = this.contentType
    if (type === "application/x-www-form-urlencoded") {
      const form = new FormData()
      for (const [k, v] of new URLSearchParams(await this.text())) form.append(k, v)
      return form
    }
    if (type === "multipart/form-data") {
      return multipartForm(this.#takeStream(), this.header("content-type")!, this.limits)
    }
    throw errors.UNSUPPORTED_MEDIA_TYPE({
      expected: "application/x-www-form-urlencoded or multipart/form-data",
      got: type,
    })
  }

  /**
   * Streams a multipart body part by part, for large uploads.
   * @throws TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE (415), TRUSS_ERR_MULTIPART_LIMIT (413).
   * @example
   * ```ts
   * import { App } from "truss"
   * import { createWriteStream } from "node:fs"
   * import { pipeline } from "node:stream/promises"
   * const app = new App()
   * app.post("/upload", async (c) => {
   *   for await (const part of c.req.parts()) {
   *     if (part.kind === "file") await pipeline(part.stream, createWriteStream(`/tmp/${part.filename}`))
   *   }
   *   return { ok: true }
   * })
   * ```
   */
  parts(): AsyncGenerator<Part, void, undefined> {
    const type = this.contentType
    if (type !== "multipart/form-data") {
      throw errors.UNSUPPORTED_MEDIA_TYPE({ expected: "multipart/form-data", got: type })
    }
    return multipartParts(this.#takeStream(), this.header("content-type")!, this.limits)
  }

  #takeStream(): Readable {
    if (this.#streamed || this.#buffered) throw errors.BODY_CONSUMED()
    this.#streamed = true
    const stream = this.bodyStream()
    if (!stream) throw errors.INVALID_FORM({ reason: "the request has no body" })
    return stream
  }

  #buffer(): Promise<Buffer> {
    if (this.#buffered === undefined) {
      if (this.#streamed) throw errors.BODY_CONSUMED()
      const limit = this.limits.body
      const declared = Number(this.header("content-length"))
      if (declared > limit) {
        this.#buffered = Promise.reject(errors.BODY_TOO_LARGE({ limit }, tooLargeOptions))
      } else {
        const stream = this.bodyStream()
        this.#buffered = stream ? collect(stream, limit) : Promise.resolve(Buffer.alloc(0))
      }
    }
    return this.#buffered
  }
}

const tooLargeOptions = { headers: { connection: "close" } }
