import type { Context } from "../../kit.js"

/**
 * Directives of a `Cache-Control` header; {@link cacheControl} writes them.
 * @example
 * ```ts
 * import type { CacheControl } from "truss/cache"
 * const cc: CacheControl = { public: true, maxAge: 60, staleWhileRevalidate: 30 }
 * ```
 */
export interface CacheControl {
  public?: boolean
  private?: boolean
  noStore?: boolean
  noCache?: boolean
  mustRevalidate?: boolean
  immutable?: boolean
  /** Seconds. */
  maxAge?: number
  /** Seconds, for shared caches. */
  sMaxAge?: number
  /** Seconds. */
  staleWhileRevalidate?: number
}

/**
 * Formats directives as a `Cache-Control` value, in a fixed order.
 * @example
 * ```ts
 * import { formatCacheControl } from "truss/cache"
 * formatCacheControl({ public: true, maxAge: 60 }) // "public, max-age=60"
 * ```
 */
export function formatCacheControl(cc: CacheControl): string {
  const parts: string[] = []
  if (cc.public) parts.push("public")
  if (cc.private) parts.push("private")
  if (cc.noStore) parts.push("no-store")
  if (cc.noCache) parts.push("no-cache")
  if (cc.mustRevalidate) parts.push("must-revalidate")
  if (cc.immutable) parts.push("immutable")
  if (cc.maxAge !== undefined) parts.push(`max-age=${Math.floor(cc.maxAge)}`)
  if (cc.sMaxAge !== undefined) parts.push(`s-maxage=${Math.floor(cc.sMaxAge)}`)
  if (cc.staleWhileRevalidate !== undefined) {
    parts.push(`stale-while-revalidate=${Math.floor(cc.staleWhileRevalidate)}`)
  }
  return parts.join(", ")
}

/**
 * Sets the response's `Cache-Control` header.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cacheControl } from "truss/cache"
 * const app = new App()
 * app.get("/logo", (c) => {
 *   cacheControl(c, { public: true, maxAge: 86400, immutable: true })
 *   return "logo"
 * })
 * ```
 */
export function cacheControl(c: Context, cc: CacheControl): void {
  c.header("cache-control", formatCacheControl(cc))
}

/**
 * Sets `Cache-Control: no-store`, for responses no cache may keep.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { noStore } from "truss/cache"
 * const app = new App()
 * app.get("/account", (c) => {
 *   noStore(c)
 *   return { balance: 3 }
 * })
 * ```
 */
export function noStore(c: Context): void {
  c.header("cache-control", "no-store")
}
