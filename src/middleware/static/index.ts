import { realpathSync, statSync } from "node:fs"
import { realpath, stat } from "node:fs/promises"
import { join, resolve, sep } from "node:path"
import type { Middleware, Next } from "../../compose.js"
import type { Context } from "../../context.js"
import { errors } from "../../errors.js"
import { contentTypeOf, sendFile } from "../../response/send-file.js"
import { acceptedEncodings, type Encoding, varyOnEncoding } from "../compress/accept-encoding.js"
import { checkPath } from "./path.js"

/**
 * Options for {@link serveStatic}.
 * @example
 * ```ts
 * import { App, serveStatic } from "truss"
 * const app = new App()
 * app.use(serveStatic({ root: "./public", prefix: "/assets", maxAge: 31536000, immutable: true }))
 * ```
 */
export interface ServeStaticOptions {
  /** The folder to serve. Must exist when `serveStatic()` is called. */
  root: string
  /** The URL path the folder is mounted at. @default "/" */
  prefix?: string
  /** File names tried, in order, for a directory request; `false` serves no index. @default ["index.html"] */
  index?: string | string[] | false
  /** Names starting with "." anywhere in the path: `"deny"` (403), `"ignore"` (as if missing) or `"allow"`. @default "deny" */
  dotfiles?: "deny" | "allow" | "ignore"
  /** `Cache-Control: max-age` in seconds. @default 0 */
  maxAge?: number
  /** Adds `immutable` to Cache-Control (for fingerprinted file names). @default false */
  immutable?: boolean
  /** Serves a `.br`/`.gz` sibling when the client accepts it (`br` preferred). @default true */
  precompressed?: boolean
  /** When no file matches, call `next()` so routes can answer; `false` answers 404. @default true */
  fallthrough?: boolean
}

const SIBLINGS: readonly { encoding: Encoding; ext: string }[] = [
  { encoding: "br", ext: ".br" },
  { encoding: "gzip", ext: ".gz" },
]
const SIBLING_ENCODINGS: readonly Encoding[] = ["br", "gzip"]

/**
 * Serves the files under a folder for GET and HEAD requests, with content types,
 * ETag/Last-Modified and 304s, byte ranges, index files and precompressed siblings.
 *
 * A path that could leave the folder (`..` or `.` segments, `%2e%2e`, encoded
 * slashes `%2f`/`%5c`, backslashes, NUL bytes, double encoding, empty segments, or a
 * symlink that resolves outside the root) never touches the disk: when a route
 * matched the request the route answers, otherwise it is refused with 403
 * `TRUSS_ERR_STATIC_PATH_FORBIDDEN`. Dotfiles get 403 `TRUSS_ERR_STATIC_DOTFILE`
 * under the same rule. A directory without its trailing slash is redirected (308).
 *
 * @param options - `root` (required), `prefix`, `index`, `dotfiles`, caching, `precompressed`, `fallthrough`.
 * @throws TRUSS_ERR_INVALID_OPTION when `root` is not an existing directory.
 * @example
 * ```ts
 * import { App, serveStatic } from "truss"
 * const app = new App()
 * app.use(serveStatic({ root: "./public", prefix: "/assets", maxAge: 3600 }))
 * app.get("/api/health", () => ({ ok: true }))
 * ```
 */
export function serveStatic(options: ServeStaticOptions): Middleware {
  const root = realRoot(options.root)
  const base = root.endsWith(sep) ? root : root + sep
  const prefix = (options.prefix ?? "/").replace(/\/+$/, "")
  if (prefix !== "" && !prefix.startsWith("/")) {
    throw errors.INVALID_OPTION({
      option: "serveStatic prefix",
      reason: `"${options.prefix}" must start with "/"`,
    })
  }
  const index = options.index === false ? [] : [options.index ?? "index.html"].flat()
  const dotfiles = options.dotfiles ?? "deny"
  const precompressed = options.precompressed ?? true
  const fallthrough = options.fallthrough ?? true
  const fileOptions = { maxAge: options.maxAge, immutable: options.immutable }

  /** The real path of `candidate` if it is a file or folder inside the root; throws on escape. */
  async function inside(candidate: string): Promise<{ path: string; dir: boolean } | undefined> {
    // stat first: a miss (the common case for paths that belong to routes) costs one call.
    const stats = await stat(candidate).catch(() => undefined)
    if (stats === undefined || !(stats.isFile() || stats.isDirectory())) return undefined
    const real = await realpath(candidate).catch(() => undefined)
    if (real === undefined) return undefined
    if (real !== root && !real.startsWith(base)) {
      throw errors.STATIC_PATH_FORBIDDEN({ reason: "resolves outside the static root" })
    }
    return { path: real, dir: stats.isDirectory() }
  }

  async function sibling(
    c: Context,
    file: string,
  ): Promise<{ path: string; encoding: Encoding } | undefined> {
    for (const encoding of acceptedEncodings(c.req.header("accept-encoding"), SIBLING_ENCODINGS)) {
      const ext = SIBLINGS.find((s) => s.encoding === encoding)!.ext
      const found = await inside(file + ext)
      if (found && !found.dir) return { path: found.path, encoding }
    }
    return undefined
  }

  // Synchronous for requests it ignores, so they pay no extra promise.
  return function serveStatic(c, next) {
    const { method, path } = c.req
    if (method !== "GET" && method !== "HEAD") return next()
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return next()
    return serve(c, next, path)
  }

  async function serve(c: Context, next: Next, path: string): Promise<unknown> {
    const checked = checkPath(path.slice(prefix.length))
    if (checked.refused !== undefined || (checked.dotfile && dotfiles === "deny")) {
      // Routes may legitimately take such paths (e.g. `/users/a%2Fb`): let a matched route answer.
      if (c.route !== undefined) return next()
      if (checked.refused !== undefined)
        throw errors.STATIC_PATH_FORBIDDEN({ reason: checked.refused })
      throw errors.STATIC_DOTFILE()
    }
    let found =
      checked.dotfile && dotfiles === "ignore"
        ? undefined
        : await inside(join(root, ...checked.segments))
    if (found?.dir) {
      found = await findIndex(found.path)
      if (found && !path.endsWith("/")) {
        const search = c.req.search
        return c.redirect(`${path}/${search ? `?${search}` : ""}`, 308)
      }
    }
    if (found === undefined) {
      if (fallthrough) return next()
      throw errors.FILE_NOT_FOUND({ path })
    }
    if (!precompressed) return sendFile(c, found.path, fileOptions)
    c.header("vary", varyOnEncoding(c.header("vary")))
    const encoded = await sibling(c, found.path)
    if (encoded === undefined) return sendFile(c, found.path, fileOptions)
    return sendFile(c, encoded.path, {
      ...fileOptions,
      contentType: contentTypeOf(found.path),
      contentEncoding: encoded.encoding,
    })
  }

  async function findIndex(dir: string): Promise<{ path: string; dir: boolean } | undefined> {
    for (const name of index) {
      const found = await inside(join(dir, name))
      if (found && !found.dir) return found
    }
    return undefined
  }
}

function realRoot(root: string): string {
  try {
    const real = realpathSync(resolve(root))
    if (statSync(real).isDirectory()) return real
  } catch {
    // fall through to the coded error below
  }
  throw errors.INVALID_OPTION({
    option: "serveStatic root",
    reason: `"${root}" is not an existing directory; create it or fix the path`,
  })
}
