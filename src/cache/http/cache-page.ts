import type { Context, Middleware, Next } from "../../kit.js"
import { type Cache, NOT_LOCAL, RAW } from "../cache.js"
import {
  encodePage,
  encodeVary,
  parseRecord,
  type StoredPage,
  type VaryMarker,
} from "./page-record.js"

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

/** The page a response makes, or undefined when it must not be cached. */
function storable(c: Context): Omit<StoredPage, "kind"> | undefined {
  const body = c.body
  if (c.status !== 200 || (typeof body !== "string" && !(body instanceof Uint8Array)))
    return undefined
  if (c.header("set-cookie") !== undefined) return undefined
  const cc = String(c.header("cache-control") ?? "").toLowerCase()
  if (/\b(no-store|private|no-cache)\b/.test(cc)) return undefined
  if (String(c.header("vary") ?? "").includes("*")) return undefined
  const headers: [string, string][] = []
  for (const [name, value] of Object.entries(c.headers))
    if (typeof value === "string") headers.push([name, value])
  return { status: c.status, headers, body }
}

/** Answers with a stored page; a byte body is copied, since every hit shares the record. */
function answer(c: Context, page: StoredPage): void {
  c.status = page.status
  for (const [name, value] of page.headers) c.header(name, value)
  c.body = typeof page.body === "string" ? page.body : page.body.slice()
}

/** The key of the page for this request's values of the headers in `names`. */
function variedKey(c: Context, base: string, names: readonly string[]): string {
  return `${base}\u0000${names.map((n) => c.req.header(n) ?? "").join("\u0000")}`
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
  const raw = options.cache[RAW]()
  const ttl = options.ttl

  /** A miss: run the handler, then keep its response if it may be shared. */
  async function fill(c: Context, next: Next, base: string): Promise<void> {
    await next()
    const page = storable(c)
    const record = page === undefined ? undefined : encodePage(page)
    if (record === undefined) return
    const names = String(c.header("vary") ?? "")
      .split(",")
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== "")
    await raw.set(
      names.length === 0
        ? [[base, record]]
        : [
            [base, encodeVary(names)],
            [variedKey(c, base, names), record],
          ],
      ttl,
    )
  }

  /** A store that needs a promise (Redis, the database): one GET, a second with Vary. */
  async function remote(c: Context, next: Next, base: string): Promise<void> {
    let found = parse(await raw.get(base))
    if (found?.kind === "vary") found = parse(await raw.get(variedKey(c, base, found.names)))
    if (found?.kind === "page") return answer(c, found)
    return fill(c, next, base)
  }

  return function cachePageMiddleware(c: Context, next: Next) {
    const req = c.req
    const personal = req.header("cookie") !== undefined || req.header("authorization") !== undefined
    if ((req.method !== "GET" && req.method !== "HEAD") || (personal && !options.shared))
      return next()
    const base = `page:${req.method === "HEAD" ? "GET" : req.method} ${req.url}`
    // A store in this process (memory) answers a hit synchronously: no promise at all.
    let found = raw.peek(base, parseRecord)
    if (found === NOT_LOCAL) return remote(c, next, base)
    if (found?.kind === "vary") {
      const page = raw.peek(variedKey(c, base, found.names), parseRecord)
      found = page === NOT_LOCAL ? undefined : page
    }
    if (found?.kind === "page") return answer(c, found)
    return fill(c, next, base)
  }
}

function parse(record: string | undefined): StoredPage | VaryMarker | undefined {
  return record === undefined ? undefined : parseRecord(record)
}
