/**
 * The error catalogue. Every error Truss throws has a stable `TRUSS_ERR_*` code and
 * a message that says how to fix it. `docs/errors.md` lists every code; a test keeps
 * the two in sync.
 * @module
 */

/** Options accepted by every error constructor. */
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

/** A factory made by {@link defineError}: call it to get a new coded error. */
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

const STATUS_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  406: "NOT_ACCEPTABLE",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  410: "GONE",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  416: "RANGE_NOT_SATISFIABLE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL",
  501: "NOT_IMPLEMENTED",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
}

function codeForStatus(status: number): string {
  return `TRUSS_ERR_HTTP_${STATUS_CODES[status] ?? status}`
}

/** The reason phrase for a status code ("Not Found"), or "Error". */
export function statusText(status: number): string {
  const name = STATUS_CODES[status]
  if (!name) return status >= 500 ? "Internal Server Error" : "Error"
  if (status === 500) return "Internal Server Error"
  return name
    .split("_")
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join(" ")
}
