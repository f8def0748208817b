import type { Context, Middleware, Next } from "../../kit.js"
import type { Cache } from "../cache.js"

/**
 * Options of {@link cachePage}.
 * @example
 * ```ts
 * import { Cache, type CachePageOptions, memoryStore } from "truss/cache"
 * const options: CachePageOptions = { cache: new Cache({ store: memoryStore() }), ttl: 60 }
 * ```
 */
export interface CachePageOptions {
  /** The cache to keep pages in. */
  cache: Cache
  /** Seconds a page is kept. */
  ttl: number
  /** Cache requests that carry a Cookie or Authorization header too (only for pages
   * that are the same for everyone). @default false */
  shared?: boolean
}

interface Page {
  status: number
  headers: Record<string, string>
  body: string | Uint8Array
}

function storable(c: Context): Page | undefined {
  const body = c.body
  if (c.status !== 200 || (typeof body !== "string" && !(body instanceof Uint8Array)))
    return undefined
  if (c.header("set-cookie") !== undefined) return undefined
  const cc = String(c.header("cache-control") ?? "").toLowerCase()
  if (/\b(no-store|private|no-cache)\b/.test(cc)) return undefined
  if (String(c.header("vary") ?? "").includes("*")) return undefined
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(c.headers))
    if (typeof value === "string") headers[name] = value
  return { status: c.status, headers, body }
}

/**
 * Caches whole GET responses for `ttl` seconds. Never caches a request with a Cookie
 * or Authorization header (a logged-in or session-bearing user), a response that sets
 * a cookie, is not a 200, or says no-store/private/no-cache; keys include the values
 * of the headers the response names in `Vary`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { Cache, cachePage, memoryStore } from "truss/cache"
 * const cache = new Cache({ store: memoryStore() })
 * const app = new App()
 * app.use(cachePage({ cache, ttl: 60 }))
 * app.get("/news", () => "<h1>News</h1>")
 * ```
 */
export function cachePage(options: CachePageOptions): Middleware {
  const cache = options.cache
  const pages = cache.namespace("page")
  return async function cachePageMiddleware(c: Context, next: Next) {
    const req = c.req
    const personal = req.header("cookie") !== undefined || req.header("authorization") !== undefined
    if ((req.method !== "GET" && req.method !== "HEAD") || (personal && !options.shared))
      return next()
    const base = `${req.method === "HEAD" ? "GET" : req.method} ${req.url}`
    // One store round trip for the common case: the Vary list and the page a response
    // without Vary is kept under; a second one only when the page varies.
    const [varyNames, plain] = await cache.getMany<unknown>([
      `page-vary:${base}`,
      `page:${base}\u0000`,
    ])
    const names = (varyNames as string[] | undefined) ?? []
    const hit =
      names.length === 0
        ? (plain as Page | undefined)
        : await pages.get<Page>(
            `${base}\u0000${names.map((n) => req.header(n) ?? "").join("\u0000")}`,
          )
    if (hit !== undefined) {
      c.status = hit.status
      for (const [name, value] of Object.entries(hit.headers)) c.header(name, value)
      c.body = hit.body
      return
    }
    await next()
    const page = storable(c)
    if (page === undefined) return
    const stored = String(c.header("vary") ?? "")
      .split(",")
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== "")
    const storeKey = `${base}\u0000${stored.map((n) => req.header(n) ?? "").join("\u0000")}`
    await cache.setMany(
      [
        [`page-vary:${base}`, stored],
        [`page:${storeKey}`, page],
      ],
      options.ttl,
    )
  }
}
