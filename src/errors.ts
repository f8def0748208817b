import { nodeHttp } from "./util/lazy.js"

/**
 * The error catalogue. Every error Truss throws has a stable `TRUSS_ERR_*` code and
 * a message that says how to fix it. `docs/errors.md` lists every code; a test keeps
 * the two in sync.
 * @module
 */

/**
 * Options accepted by every error constructor.
 * @example
 * ```ts
 * import { HttpError } from "truss"
 * throw new HttpError(429, "Slow down", { headers: { "retry-after": "30" }, extensions: { limit: 100 } })
 * ```
 */
export interface ErrorOptions {
  /** The underlying error, kept for logs and the debug page. */
  cause?: unknown
  /** Whether `message` may be shown to clients. @default status < 500 */
  expose?: boolean
  /** Extra response headers, e.g. `Allow` on a 405 or `Retry-After` on a 429. */
  headers?: Record<string, string>
  /** Extra RFC 9457 members for the problem+json body, e.g. `{ errors: [...] }`. */
  extensions?: Record<string, unknown>
}

/**
 * Base class of every error Truss throws.
 *
 * @example
 * ```ts
 * import { TrussError } from "truss"
 * const err = new TrussError("TRUSS_ERR_EXAMPLE", "Something went wrong", 500)
 * err.code // "TRUSS_ERR_EXAMPLE"
 * ```
 */
export class TrussError extends Error {
  /** Stable machine-readable code, e.g. `TRUSS_ERR_NOT_FOUND`. */
  readonly code: string
  /** The HTTP status this error maps to when it escapes a handler. */
  readonly status: number
  /** Whether `message` may reach the client. 5xx messages never do unless set. */
  readonly expose: boolean
  /** Response headers to send with the error response. */
  readonly headers: Record<string, string> | undefined
  /** Extra problem+json members. */
  readonly extensions: Record<string, unknown> | undefined

  constructor(code: string, message: string, status = 500, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = "TrussError"
    this.code = code
    this.status = status
    this.expose = options.expose ?? status < 500
    this.headers = options.headers
    this.extensions = options.extensions
  }
}

/**
 * An error with an HTTP status. Throw it from a handler or middleware and Truss
 * renders it as RFC 9457 problem+json for APIs or an HTML page for browsers.
 *
 * @param status - HTTP status code (400–599).
 * @param message - Shown to clients for 4xx; hidden for 5xx unless `expose: true`.
 * @param options - `code`, `cause`, `expose`, `headers`, `extensions`.
 * @example
 * ```ts
 * import { HttpError } from "truss"
 * throw new HttpError(404, "No article with that slug", { code: "ARTICLE_NOT_FOUND" })
 * ```
 */
export class HttpError extends TrussError {
  constructor(status: number, message?: string, options: ErrorOptions & { code?: string } = {}) {
    super(options.code ?? codeForStatus(status), message ?? statusText(status), status, options)
    this.name = "HttpError"
  }
}

/**
 * A factory made by {@link defineError}: call it to get a new coded error.
 * @example
 * ```ts
 * import { defineError, type ErrorFactory } from "truss"
 * const GONE: ErrorFactory<{ id: string }> = defineError("TRUSS_ERR_EXAMPLE_GONE", (p: { id: string }) => `Item ${p.id} was deleted.`, 410)
 * GONE.is(GONE({ id: "7" })) // true
 * ```
 */
export type ErrorFactory<P> = ([P] extends [undefined]
  ? (params?: undefined, options?: ErrorOptions) => TrussError
  : (params: P, options?: ErrorOptions) => TrussError) & {
  readonly code: string
  readonly status: number
  /** True when `err` was made by this factory. */
  is(err: unknown): err is TrussError
}

const catalog = new Map<string, { status: number }>()

/**
 * Defines a catalogued error. The message is a string or a function of the params,
 * and should say how to fix the problem.
 *
 * @param code - `TRUSS_ERR_*`, unique across Truss.
 * @param message - Fixed text, or a function that builds it from `params`.
 * @param status - HTTP status used when the error escapes a handler. @default 500
 * @throws Error when the code is already defined.
 * @example
 * ```ts
 * import { defineError } from "truss"
 * const QUOTA = defineError("TRUSS_ERR_EXAMPLE_QUOTA",
 *   (p: { limit: number }) => `Quota of ${p.limit} reached: raise the plan's limit.`, 429)
 * throw QUOTA({ limit: 10 })
 * ```
 */
export function defineError<P = undefined>(
  code: `TRUSS_ERR_${string}`,
  message: string | ((params: P) => string),
  status = 500,
): ErrorFactory<P> {
  if (catalog.has(code)) throw new Error(`Error code ${code} is defined twice`)
  catalog.set(code, { status })
  const make = (params?: P, options?: ErrorOptions): TrussError =>
    new TrussError(
      code,
      typeof message === "string" ? message : message(params as P),
      status,
      options,
    )
  return Object.assign(make, {
    code,
    status,
    is: (err: unknown): err is TrussError => err instanceof TrussError && err.code === code,
  }) as unknown as ErrorFactory<P>
}

/**
 * Every code defined so far with {@link defineError}, for docs and tests.
 *
 * @example
 * ```ts
 * import { errorCodes } from "truss"
 * errorCodes().includes("TRUSS_ERR_NOT_FOUND") // true
 * ```
 */
export function errorCodes(): string[] {
  return [...catalog.keys()].sort()
}

function codeForStatus(status: number): string {
  const reason = nodeHttp().STATUS_CODES[status]
  const name = reason ? reason.toUpperCase().replace(/[^A-Z0-9]+/g, "_") : String(status)
  return `TRUSS_ERR_HTTP_${name}`
}

/** The reason phrase for a status code ("Not Found"), or "Error". */
export function statusText(status: number): string {
  return nodeHttp().STATUS_CODES[status] ?? "Error"
}

/**
 * The core's catalogue. Batteries define their own codes with {@link defineError}.
 * @example
 * ```ts
 * import { errors } from "truss"
 * const err = errors.NOT_FOUND({ method: "GET", path: "/nope" })
 * err.status // 404
 * ```
 */
export const errors = {
  NOT_FOUND: defineError(
    "TRUSS_ERR_NOT_FOUND",
    (p: { method: string; path: string }) => `No route matches ${p.method} ${p.path}.`,
    404,
  ),
  METHOD_NOT_ALLOWED: defineError(
    "TRUSS_ERR_METHOD_NOT_ALLOWED",
    (p: { method: string; allow: string }) =>
      `Method ${p.method} is not allowed here; use one of: ${p.allow}.`,
    405,
  ),
  BODY_TOO_LARGE: defineError(
    "TRUSS_ERR_BODY_TOO_LARGE",
    (p: { limit: number }) =>
      `The request body is larger than the limit of ${p.limit} bytes. Send less, or raise the route's bodyLimit.`,
    413,
  ),
  UNSUPPORTED_MEDIA_TYPE: defineError(
    "TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE",
    (p: { expected: string; got: string }) =>
      `Expected a ${p.expected} body but Content-Type is "${p.got}". Send the matching Content-Type header.`,
    415,
  ),
  INVALID_JSON: defineError(
    "TRUSS_ERR_INVALID_JSON",
    (p: { reason: string }) => `The request body is not valid JSON: ${p.reason}.`,
    400,
  ),
  INVALID_FORM: defineError(
    "TRUSS_ERR_INVALID_FORM",
    (p: { reason: string }) => `The form body could not be parsed: ${p.reason}.`,
    400,
  ),
  MALFORMED_PATH: defineError(
    "TRUSS_ERR_MALFORMED_PATH",
    (p: { path: string }) =>
      `The request path ${p.path} has malformed percent-encoding. Each % must start an escape of two hex digits that decodes to UTF-8, e.g. %C3%A9; send a literal % as %25.`,
    400,
  ),
  MULTIPART_LIMIT: defineError(
    "TRUSS_ERR_MULTIPART_LIMIT",
    (p: { what: string; limit: number }) =>
      `The upload exceeds the ${p.what} limit of ${p.limit}. Send less, or raise the multipart limits.`,
    413,
  ),
  BODY_CONSUMED: defineError(
    "TRUSS_ERR_BODY_CONSUMED",
    "The request body was already read as a stream. Read it once: use c.req.parts() or one of json()/text()/form(), not both.",
    500,
  ),
  NO_RESPONSE: defineError(
    "TRUSS_ERR_NO_RESPONSE",
    (p: { route: string }) =>
      `The handler for ${p.route} returned undefined. Return a value (object, string, Response) or call c.json()/c.text()/c.html().`,
    500,
  ),
  NEXT_CALLED_TWICE: defineError(
    "TRUSS_ERR_NEXT_CALLED_TWICE",
    "A middleware called next() more than once. Call await next() exactly once.",
    500,
  ),
  SETUP_AFTER_START: defineError(
    "TRUSS_ERR_SETUP_AFTER_START",
    (p: { method: string }) =>
      `${p.method}() was called after the app handled its first request. Register routes, middleware, hooks and blueprints before app.listen() or the first request.`,
    500,
  ),
  ROUTE_CONFLICT: defineError(
    "TRUSS_ERR_ROUTE_CONFLICT",
    (p: { route: string; first: string; second: string }) =>
      `Route ${p.route} is declared twice: first at ${p.first}, again at ${p.second}. Remove one or change its path.`,
    500,
  ),
  ROUTE_NAME_CONFLICT: defineError(
    "TRUSS_ERR_ROUTE_NAME_CONFLICT",
    (p: { name: string; first: string; second: string }) =>
      `Route name "${p.name}" is used twice: first at ${p.first}, again at ${p.second}. Route names must be unique.`,
    500,
  ),
  ROUTE_PATH_INVALID: defineError(
    "TRUSS_ERR_ROUTE_PATH_INVALID",
    (p: { path: string; reason: string }) => `Route path "${p.path}" is invalid: ${p.reason}.`,
    500,
  ),
  ROUTE_NAME_UNKNOWN: defineError(
    "TRUSS_ERR_ROUTE_NAME_UNKNOWN",
    (p: { name: string; known: string }) =>
      `No route is named "${p.name}". Give the route { name: "${p.name}" } or use one of: ${p.known}.`,
    500,
  ),
  URL_PARAM_MISSING: defineError(
    "TRUSS_ERR_URL_PARAM_MISSING",
    (p: { name: string; param: string }) =>
      `Building the URL of "${p.name}" needs the param "${p.param}". Pass it in the params object.`,
    500,
  ),
  URL_PARAM_INVALID: defineError(
    "TRUSS_ERR_URL_PARAM_INVALID",
    (p: { name: string; param: string; value: string; pattern: string }) =>
      `Param "${p.param}" of route "${p.name}" must match /${p.pattern}/, got "${p.value}".`,
    500,
  ),
  URL_PARAM_DOT_SEGMENT: defineError(
    "TRUSS_ERR_URL_PARAM_DOT_SEGMENT",
    (p: { name: string; param: string; value: string }) =>
      `Param "${p.param}" of route "${p.name}" is "${p.value}", which clients resolve as a relative path segment, so the URL would lead elsewhere. Path params cannot be "." or "..": pass another value or send it in the query.`,
    500,
  ),
  BLUEPRINT_REGISTERED_TWICE: defineError(
    "TRUSS_ERR_BLUEPRINT_REGISTERED_TWICE",
    (p: { name: string; first: string; second: string }) =>
      `Blueprint "${p.name}" is registered twice: first at ${p.first}, again at ${p.second}. Register it once, or create a second Blueprint.`,
    500,
  ),
  HOST_NOT_ALLOWED: defineError(
    "TRUSS_ERR_HOST_NOT_ALLOWED",
    (p: { host: string }) =>
      `The Host "${p.host}" is not in the app's allowedHosts. Add it to new App({ allowedHosts: [...] }) if the app serves it.`,
    400,
  ),
  BLUEPRINT_FROZEN: defineError(
    "TRUSS_ERR_BLUEPRINT_FROZEN",
    (p: { name: string; method: string; at: string }) =>
      `${p.method}() was called on blueprint "${p.name}" after it was registered at ${p.at}. Finish a blueprint's setup before registering it.`,
    500,
  ),
  CONTEXT_MEMBER_TAKEN: defineError(
    "TRUSS_ERR_CONTEXT_MEMBER_TAKEN",
    (p: { name: string; owner: string; battery: string }) =>
      `${p.battery} cannot add c.${p.name}: ${p.owner} already defines it. Two batteries claim the same context member; rename one of them.`,
    500,
  ),
  HEADER_INVALID: defineError(
    "TRUSS_ERR_HEADER_INVALID",
    (p: { name: string; reason: string }) =>
      `Response header "${p.name}" ${p.reason}. A header name is an HTTP token, and a value holds no CR, LF, NUL or character above U+00FF: encode request input (encodeURIComponent) before putting it in a header.`,
    500,
  ),
  COOKIE_INVALID: defineError(
    "TRUSS_ERR_COOKIE_INVALID",
    (p: { name: string; reason: string }) =>
      `Cookie "${p.name}" cannot be set: ${p.reason}. A cookie name is an HTTP token; domain and path hold no ";", spaces or control characters.`,
    500,
  ),
  RESPONSE_UNSENDABLE: defineError(
    "TRUSS_ERR_RESPONSE_UNSENDABLE",
    (p: { reason: string }) =>
      `The response could not be sent (${p.reason}), so a 500 was sent instead. A header set directly on c.headers holds a value HTTP does not allow; set headers with c.header(), which checks them.`,
    500,
  ),
  INVALID_OPTION: defineError(
    "TRUSS_ERR_INVALID_OPTION",
    (p: { option: string; reason: string }) => `Option ${p.option} is invalid: ${p.reason}.`,
    500,
  ),
  FILE_NOT_FOUND: defineError(
    "TRUSS_ERR_FILE_NOT_FOUND",
    (p: { path: string }) =>
      `No file exists for ${p.path}. Check the URL; only files inside the served folder can be fetched.`,
    404,
  ),
  FILE_CHANGED: defineError(
    "TRUSS_ERR_FILE_CHANGED",
    (p: { path: string }) =>
      `${p.path} changed while it was being sent (its size, modification time or inode no longer match the headers already built), so the response was cut off. Replace served files atomically (write elsewhere, then rename); the client's retry gets the new file.`,
    500,
  ),
  STATIC_PATH_FORBIDDEN: defineError(
    "TRUSS_ERR_STATIC_PATH_FORBIDDEN",
    (p: { reason: string }) =>
      `The path was refused because it ${p.reason}. Request files by their plain path below the static prefix.`,
    403,
  ),
  STATIC_DOTFILE: defineError(
    "TRUSS_ERR_STATIC_DOTFILE",
    'Files and folders whose name starts with "." are not served. Rename the file, or pass serveStatic({ dotfiles: "allow" }).',
    403,
  ),
  RANGE_NOT_SATISFIABLE: defineError(
    "TRUSS_ERR_RANGE_NOT_SATISFIABLE",
    (p: { size: number }) =>
      `The Range header asks for bytes outside the ${p.size}-byte file. Request a range that starts below byte ${p.size}.`,
    416,
  ),
  VALIDATION: defineError(
    "TRUSS_ERR_VALIDATION",
    (p: { count: number }) =>
      `The request is invalid: ${p.count} field${p.count === 1 ? "" : "s"} failed validation. Fix the fields listed in errors[] (in, path, message) and send it again.`,
    422,
  ),
  RESPONSE_INVALID: defineError(
    "TRUSS_ERR_RESPONSE_INVALID",
    (p: { route: string; status: number; field: string; message: string }) =>
      `The handler of ${p.route} sent a ${p.status} body that does not match its response schema at ${p.field}: ${p.message}. Fix the handler or the route's response schema.`,
    500,
  ),
  SERVER_NOT_LISTENING: defineError(
    "TRUSS_ERR_SERVER_NOT_LISTENING",
    "The app is not listening. Call await app.listen() first.",
    500,
  ),
} as const

/** The code every hidden 5xx error is shown to clients under. */
export const INTERNAL = defineError(
  "TRUSS_ERR_INTERNAL",
  "An unexpected error occurred. The server log has the details under this request's id.",
  500,
)
