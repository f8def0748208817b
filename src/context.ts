import { type SerializeOptions, stringifySetCookie } from "cookie"
import type { Logger } from "pino"
import { errors } from "./errors.js"
import type { Slots } from "./extend.js"
import type { RequestLineWriter } from "./logging/logger.js"
import type { TrussRequest } from "./request.js"
import { checkHeader, locationValue } from "./response/header-check.js"
import { type SendFileOptions, sendFile } from "./response/send-file.js"
import { formatSse, type SseMessage } from "./response/sse.js"
import type { UrlParams, UrlQuery } from "./router/path.js"
import type { RouteOptions } from "./router/route-types.js"
import type { Params } from "./router/router.js"
import { newRequestId } from "./util/pooled-random.js"

/**
 * What a response body may be. Async iterables (and node streams) are streamed.
 * @example
 * ```ts
 * import { App } from "truss"
 * new App().get("/bytes", (c) => {
 *   c.header("content-type", "application/octet-stream")
 *   c.body = new Uint8Array([1, 2, 3])
 *   return c
 * })
 * ```
 */
export type ResponseBody =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | null

/**
 * Response headers by lower-case name; `set-cookie` may hold several values.
 * @example
 * ```ts
 * import { App, type ResponseHeaders } from "truss"
 * const headers: ResponseHeaders = { "cache-control": "no-store", "set-cookie": ["a=1", "b=2"] }
 * new App().get("/", (c) => c.json({ ok: true }, 200, headers))
 * ```
 */
export type ResponseHeaders = Record<string, string | string[]>

declare const replyType: unique symbol
/**
 * The value `c.json()`, `c.text()` and friends return. Return it from a handler; it
 * carries the body and status types for typed clients.
 * @example
 * ```ts
 * import { App, type Context, type Reply } from "truss"
 * function created<T>(c: Context, data: T): Reply<T, 201> {
 *   return c.json(data, 201)
 * }
 * new App().post("/items", (c) => created(c, { id: 1 }))
 * ```
 */
export interface Reply<T = unknown, S extends number = number> {
  readonly [replyType]?: { body: T; status: S }
}

/**
 * The body and status types a handler result carries (`{ body; status }`), or
 * `undefined` for a value that is not a reply. Typed clients read it.
 * @example
 * ```ts
 * import type { Reply, ReplyTypes } from "truss"
 * type T = ReplyTypes<Reply<{ id: string }, 201>> // { body: { id: string }; status: 201 }
 * ```
 */
export type ReplyTypes<R> = typeof replyType extends keyof R
  ? NonNullable<R[typeof replyType & keyof R]>
  : undefined

/**
 * Per-request state types for `c.get()`/`c.set()`; declare yours with `new App<Vars>()`.
 * @example
 * ```ts
 * import { App, type Variables } from "truss"
 * const app = new App<Variables>() // untyped state: c.get() returns unknown
 * ```
 */
export type Variables = Record<string, unknown>

/**
 * Options for `c.cookie()`. Defaults: `httpOnly`, `sameSite: "lax"`, `path: "/"`, `secure` on HTTPS.
 * @example
 * ```ts
 * import { App, type CookieOptions } from "truss"
 * const remember: CookieOptions = { maxAge: 30 * 24 * 3600, sameSite: "strict" }
 * new App().post("/remember", (c) => {
 *   c.cookie("remember", "1", remember)
 *   return { ok: true }
 * })
 * ```
 */
export type CookieOptions = SerializeOptions

/** What a context needs from its app. @internal */
export interface AppRuntime {
  readonly debug: boolean
  readonly log: Logger
  /** Writes a request line directly when the app built its logger itself. */
  readonly requestLine: RequestLineWriter | undefined
  url(name: string, params?: UrlParams, options?: { query?: UrlQuery }): string
}

/**
 * The matched route, for logs and metrics.
 * @example
 * ```ts
 * import { App } from "truss"
 * new App().use(async function routeName(c, next) {
 *   await next()
 *   c.header("x-route", c.route?.name ?? "none")
 * })
 * ```
 */
export interface RouteInfo {
  method: string
  path: string
  name: string | undefined
  /** The options the route was declared with; batteries read their flags here (`csrf: false`). */
  options: Readonly<RouteOptions>
}

/** Where a context keeps its app runtime. @internal */
export const APP: unique symbol = Symbol("truss.app")
/** Where a context keeps battery state ({@link Slots}). @internal */
export const SLOTS: unique symbol = Symbol("truss.slots")
/** Where a context keeps its validated inputs. @internal */
export const INPUTS: unique symbol = Symbol("truss.inputs")
/** Where a context keeps its route's response serializer. @internal */
export const SERIALIZE: unique symbol = Symbol("truss.serialize")

const JSON_TYPE = "application/json"
const TEXT_TYPE = "text/plain; charset=utf-8"
const HTML_TYPE = "text/html; charset=utf-8"
const REQUEST_ID = /^[\w\-.:]{1,200}$/

/**
 * The request context handed to every handler and middleware: the request, the
 * response being built, route params and per-request state.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App<{ user: string }>()
 * app.use(async function who(c, next) {
 *   c.set("user", c.req.header("x-user") ?? "anon")
 *   await next()
 *   c.header("x-served-by", "truss")
 * })
 * app.get("/hello/:name", (c) => c.json({ hi: c.params.name, by: c.get("user") }, 200))
 * ```
 */
export class Context<
  V extends object = Variables,
  P extends object = Params,
  I extends object = object,
> {
  /** The incoming request. */
  readonly req: TrussRequest
  /** Route params, decoded, typed from the path string. */
  params: P
  /** The route that matched, or undefined for 404/405. */
  route: RouteInfo | undefined
  /** The error being handled, visible to middleware after `await next()`. */
  error: unknown
  /** Response status. @default 200 */
  status = 200
  /** Response body; set by the reply helpers or by returning a value. */
  body: ResponseBody | undefined
  /** What the context needs from its app. @internal */
  readonly [APP]: AppRuntime
  /** Phantom: lets a context stand for the reply it carries. */
  declare readonly [replyType]?: { body: unknown; status: number };
  /** Battery state, declared by each battery. @internal */
  [SLOTS]: Slots | undefined
  #headers: ResponseHeaders | undefined
  #vars: Record<string, unknown> | undefined
  #id: string | undefined
  #log: Logger | undefined;
  /** Validated inputs of a route with schemas. @internal */
  [INPUTS]: Record<string, unknown> | undefined;
  /** The route's response serializer while its handler runs. @internal */
  [SERIALIZE]: ((data: unknown, status: number) => string) | undefined

  constructor(req: TrussRequest, app: AppRuntime, params: P) {
    this.req = req
    this[APP] = app
    this.params = params
  }

  /** Response headers set so far, by lower-case name. */
  get headers(): ResponseHeaders {
    if (this.#headers === undefined) this.#headers = {}
    return this.#headers
  }

  /** Reads a response header set so far. */
  header(name: string): string | string[] | undefined
  /**
   * Sets (or with `append`, adds) a response header; `undefined` removes it.
   * @throws TRUSS_ERR_HEADER_INVALID when the name is not a token or the value holds CR,
   *   LF, NUL or a character above U+00FF (encode request input first).
   */
  header(name: string, value: string | undefined, options?: { append?: boolean }): void
  header(
    name: string,
    value?: string | undefined,
    options?: { append?: boolean },
  ): string | string[] | undefined {
    const key = name.toLowerCase()
    // arguments.length, not a rest parameter: this runs several times per request and
    // a rest array is an allocation per call. header(name, undefined) still removes.
    // biome-ignore lint/complexity/noArguments: measured hot path, see above
    if (arguments.length < 2) return this.#headers?.[key]
    const headers = this.headers
    if (value === undefined) {
      delete headers[key]
      return undefined
    }
    checkHeader(key, value)
    if (options?.append && headers[key] !== undefined) {
      const prev = headers[key]
      headers[key] = Array.isArray(prev) ? [...prev, value] : [prev, value]
    } else headers[key] = value
    return undefined
  }

  /**
   * A request part validated by the route's schema (`body`, `query`, `params`,
   * `headers`, `cookies`), typed as the schema's output.
   * @example
   * ```ts
   * import { App } from "truss"
   * import { z } from "zod"
   * const app = new App()
   * app.get("/search", { query: z.object({ q: z.string(), page: z.number().default(1) }) }, (c) => {
   *   const { q, page } = c.valid("query")
   *   return { q, page }
   * })
   * ```
   */
  valid<K extends keyof I & string>(key: K): I[K] {
    return this[INPUTS]?.[key] as I[K]
  }

  /** Stores a per-request value for later middleware and the handler. */
  set<K extends keyof V & string>(key: K, value: V[K]): void {
    if (this.#vars === undefined) this.#vars = {}
    this.#vars[key] = value
  }

  /** Reads a per-request value stored with {@link set}. */
  get<K extends keyof V & string>(key: K): V[K] {
    return this.#vars?.[key] as V[K]
  }

  /**
   * The request id: a valid incoming `x-request-id`, or a new one of 32 lower-case hex
   * digits (the form of a W3C trace-id, and of Django's `uuid4().hex`): 120 random bits
   * shared by a batch of 256 ids, then a count.
   */
  get id(): string {
    if (this.#id === undefined) {
      const incoming = this.req.header("x-request-id")
      this.#id = incoming && REQUEST_ID.test(incoming) ? incoming : newRequestId()
    }
    return this.#id
  }

  /** A logger bound to this request's id. */
  get log(): Logger {
    if (this.#log === undefined) this.#log = this[APP].log.child({ reqId: this.id })
    return this.#log
  }

  /** Sends JSON. @param status - HTTP status. @default 200 */
  json<T, S extends number = 200>(data: T, status?: S, headers?: ResponseHeaders): Reply<T, S> {
    const text =
      this[SERIALIZE] === undefined
        ? JSON.stringify(data)
        : this[SERIALIZE](data, status ?? this.status)
    return this.#send(text ?? "null", JSON_TYPE, status, headers)
  }

  /** Sends plain text (`text/plain; charset=utf-8`). */
  text<S extends number = 200>(
    text: string,
    status?: S,
    headers?: ResponseHeaders,
  ): Reply<string, S> {
    return this.#send(text, TEXT_TYPE, status, headers)
  }

  /** Sends HTML (`text/html; charset=utf-8`). Escape user data, or use truss/templates. */
  html<S extends number = 200>(
    html: string,
    status?: S,
    headers?: ResponseHeaders,
  ): Reply<string, S> {
    return this.#send(html, HTML_TYPE, status, headers)
  }

  /**
   * Redirects. Characters above ASCII in `location` are percent-encoded.
   * @param status - 301, 302, 303, 307 or 308. @default 302
   * @throws TRUSS_ERR_HEADER_INVALID when `location` holds a control character (CR, LF).
   */
  redirect<S extends 301 | 302 | 303 | 307 | 308 = 302>(
    location: string,
    status?: S,
  ): Reply<null, S> {
    this.header("location", locationValue(location))
    return this.#send(null, undefined, status ?? (302 as S))
  }

  /** Streams chunks from an async iterable (or a node stream). */
  stream(
    source: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>,
    options: { contentType?: string; status?: number } = {},
  ): Reply<unknown> {
    return this.#send(source, options.contentType ?? "application/octet-stream", options.status)
  }

  /**
   * Streams Server-Sent Events. Each item is a message object or a string (sent as
   * `data:`). The stream stops when the client disconnects.
   */
  sse(source: AsyncIterable<SseMessage | string>): Reply<unknown> {
    this.header("cache-control", "no-cache")
    this.header("x-accel-buffering", "no")
    return this.#send(formatSse(source), "text/event-stream; charset=utf-8", undefined)
  }

  /**
   * Streams a file with its content type, ETag, Last-Modified, 304s and byte ranges.
   * Relative paths resolve against the working directory. Pass only trusted paths;
   * serve a public folder with `serveStatic()`.
   * @throws TRUSS_ERR_FILE_NOT_FOUND (404), TRUSS_ERR_RANGE_NOT_SATISFIABLE (416).
   * @example
   * ```ts
   * import { App } from "truss"
   * const app = new App()
   * app.get("/report", (c) => c.file("./reports/latest.pdf", { download: "report.pdf" }))
   * ```
   */
  file(path: string, options?: SendFileOptions): Promise<Reply<unknown>> {
    return sendFile(this as unknown as Context, path, options)
  }

  /**
   * Sets a cookie. Secure defaults: `HttpOnly`, `SameSite=Lax`, `Path=/`, and
   * `Secure` when the request came over HTTPS. The value is percent-encoded.
   * @throws TRUSS_ERR_COOKIE_INVALID for a name that is not a token, or a bad domain or path.
   */
  cookie(name: string, value: string, options: CookieOptions = {}): void {
    let cookie: string
    try {
      cookie = stringifySetCookie({
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: this.req.secure,
        ...options,
        name,
        value,
      })
    } catch (err) {
      throw errors.COOKIE_INVALID({ name, reason: (err as Error).message }, { cause: err })
    }
    this.header("set-cookie", cookie, { append: true })
  }

  /** Expires a cookie; pass the same `path`/`domain` it was set with. */
  deleteCookie(name: string, options: CookieOptions = {}): void {
    this.cookie(name, "", { ...options, maxAge: 0, expires: new Date(0) })
  }

  /** Builds the URL of a named route, like Flask's `url_for`. */
  url(name: string, params?: UrlParams, options?: { query?: UrlQuery }): string {
    return this[APP].url(name, params, options)
  }

  #send<T, S extends number>(
    body: ResponseBody,
    type: string | undefined,
    status: number | undefined,
    headers?: ResponseHeaders,
  ): Reply<T, S> {
    if (status !== undefined) this.status = status
    if (type !== undefined) {
      if (this.#headers === undefined) this.#headers = { "content-type": type }
      else this.#headers["content-type"] = type
    }
    if (headers) for (const k in headers) this.headers[k.toLowerCase()] = headers[k]!
    this.body = body
    return this as Reply<T, S>
  }
}
