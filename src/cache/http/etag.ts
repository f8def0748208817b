import { createHash } from "node:crypto"
import type { Context, Middleware, Next } from "../../kit.js"

/**
 * Options of {@link etag}.
 * @example
 * ```ts
 * import type { EtagOptions } from "truss/cache"
 * const options: EtagOptions = { weak: true }
 * ```
 */
export interface EtagOptions {
  /** Send `W/"…"` (weak) tags instead of strong ones. @default false */
  weak?: boolean
}

/** Weak comparison (RFC 9110 §8.8.3.2): equal once the `W/` prefixes are dropped. */
function matches(header: string, tag: string): boolean {
  const bare = tag.replace(/^W\//, "")
  return header.split(",").some((part) => {
    const t = part.trim()
    return t === "*" || t.replace(/^W\//, "") === bare
  })
}

/**
 * Adds an ETag (a SHA-1 of the body, or the handler's own `etag` header) to 200
 * responses of GET and HEAD with a string or byte body, and answers a matching
 * `If-None-Match` with 304 and no body. Streams are left alone.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { etag } from "truss/cache"
 * const app = new App()
 * app.use(etag())
 * app.get("/report", () => ({ rows: 3 }))
 * ```
 */
export function etag(options: EtagOptions = {}): Middleware {
  const weak = options.weak ?? false
  return async function etagMiddleware(c: Context, next: Next) {
    await next()
    const method = c.req.method
    if ((method !== "GET" && method !== "HEAD") || c.status !== 200) return
    let tag = c.header("etag")
    if (typeof tag !== "string") {
      const body = c.body
      if (typeof body !== "string" && !(body instanceof Uint8Array)) return
      const hash = createHash("sha1").update(body).digest("base64url").slice(0, 27)
      tag = `${weak ? "W/" : ""}"${hash}"`
      c.header("etag", tag)
    }
    const ifNoneMatch = c.req.header("if-none-match")
    if (ifNoneMatch !== undefined && matches(ifNoneMatch, tag)) {
      c.status = 304
      c.body = null
      c.header("content-length", undefined)
      c.header("content-type", undefined)
    }
  }
}
