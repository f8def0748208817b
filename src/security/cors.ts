import type { Context, Middleware } from "../kit.js"
import { securityErrors } from "./errors.js"

/**
 * Which origins may read responses.
 * @example
 * ```ts
 * import type { CorsOrigin } from "truss/security"
 * const origin: CorsOrigin = /^https:\/\/[a-z]+\.example\.com$/
 * ```
 */
export type CorsOrigin =
  | string
  | readonly string[]
  | RegExp
  | ((origin: string, c: Context) => boolean | Promise<boolean>)

/**
 * Options of {@link cors}.
 * @example
 * ```ts
 * import type { CorsOptions } from "truss/security"
 * const options: CorsOptions = { origin: ["https://app.example.com"], exposeHeaders: ["x-request-id"] }
 * ```
 */
export interface CorsOptions {
  /** `"*"`, one origin, a list, a RegExp, or a predicate. @default "*" */
  origin?: CorsOrigin
  /** Methods allowed in preflights. @default ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"] */
  methods?: readonly string[]
  /** Request headers allowed in preflights. @default those the preflight asks for */
  headers?: readonly string[]
  /** Response headers scripts may read (`Access-Control-Expose-Headers`). */
  exposeHeaders?: readonly string[]
  /** Allow cookies and HTTP auth (`Access-Control-Allow-Credentials: true`). @default false */
  credentials?: boolean
  /** Seconds browsers may cache a preflight (`Access-Control-Max-Age`). */
  maxAge?: number
}

const METHODS = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]

/**
 * Cross-origin resource sharing. Preflights (`OPTIONS` with
 * `Access-Control-Request-Method`) are answered `204` here and never reach handlers;
 * other requests from an allowed origin get `Access-Control-Allow-Origin` (and the
 * credentials and expose headers). Every response varies by `Origin` unless the
 * origin is a plain `"*"`. Register it app-wide so it sees preflights for every path.
 * @param options - `origin`, `methods`, `headers`, `exposeHeaders`, `credentials`, `maxAge`.
 * @throws TRUSS_ERR_CORS_WILDCARD_CREDENTIALS at setup for `origin: "*"` with `credentials: true`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cors } from "truss/security"
 * const app = new App()
 * app.use(cors({ origin: ["https://app.example.com"], credentials: true, maxAge: 600 }))
 * app.get("/api/me", () => ({ name: "Ada" }))
 * ```
 */
export function cors(options: CorsOptions = {}): Middleware {
  const origin = options.origin ?? "*"
  const credentials = options.credentials ?? false
  const wildcard = origin === "*" || (Array.isArray(origin) && origin.includes("*"))
  if (wildcard && credentials) throw securityErrors.CORS_WILDCARD_CREDENTIALS()
  const allows = allowTest(origin)
  const methods = (options.methods ?? METHODS).join(", ")
  const allowHeaders = options.headers?.join(", ")
  const expose = options.exposeHeaders?.join(", ")
  const maxAge = options.maxAge === undefined ? undefined : String(options.maxAge)
  return async function cors(c, next) {
    const requestOrigin = c.req.header("origin")
    if (!wildcard) c.header("vary", "Origin", { append: true })
    const allowed =
      requestOrigin === undefined
        ? undefined
        : wildcard
          ? "*"
          : (await allows(requestOrigin, c))
            ? requestOrigin
            : undefined
    const preflight =
      c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined
    if (allowed !== undefined) {
      c.header("access-control-allow-origin", allowed)
      if (credentials) c.header("access-control-allow-credentials", "true")
    }
    if (!preflight) {
      if (allowed !== undefined && expose) c.header("access-control-expose-headers", expose)
      return next()
    }
    if (allowed !== undefined) {
      c.header("access-control-allow-methods", methods)
      const asked = c.req.header("access-control-request-headers")
      const headers = allowHeaders ?? asked
      if (headers) c.header("access-control-allow-headers", headers)
      if (allowHeaders === undefined && asked) {
        c.header("vary", "Access-Control-Request-Headers", { append: true })
      }
      if (maxAge !== undefined) c.header("access-control-max-age", maxAge)
    }
    c.status = 204
    c.body = null
  }
}

function allowTest(origin: CorsOrigin): (o: string, c: Context) => boolean | Promise<boolean> {
  if (typeof origin === "string") return (o) => o === origin
  if (origin instanceof RegExp) return (o) => origin.test(o)
  if (typeof origin === "function") return origin
  const set = new Set(origin)
  return (o) => set.has(o)
}
