import { accessSync, constants, type Stats } from "node:fs"
import { stat } from "node:fs/promises"
import { basename, extname, resolve } from "node:path"
import type { Context, Reply } from "../context.js"
import { errors } from "../errors.js"
import { lazyRequire } from "../util/lazy.js"
import { FileBody } from "./send-file-body.js"

// The mime table loads on the first file sent, not with `import "truss"`.
const mime = lazyRequire<typeof import("mime-types")>("mime-types")

/**
 * Options for {@link sendFile} and `c.file()`.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App()
 * app.get("/report", (c) => c.file("/srv/reports/latest.pdf", { maxAge: 3600, download: "report.pdf" }))
 * ```
 */
export interface SendFileOptions {
  /** `Cache-Control: max-age` in seconds. @default 0 (browsers revalidate and get 304s) */
  maxAge?: number
  /** Adds `immutable` to Cache-Control; without `maxAge` the max-age becomes one year. @default false */
  immutable?: boolean
  /** The Content-Type to send instead of the one guessed from the file extension. */
  contentType?: string
  /** The `Content-Encoding` the file's bytes are in, e.g. `"br"` for a precompressed `.br` file. */
  contentEncoding?: string
  /** Sends `Content-Disposition: attachment`; a string names the download. @default false */
  download?: boolean | string
}

const ONE_YEAR = 31_536_000
const MISSING = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "EISDIR"])

/**
 * Streams a file as the response, with Content-Type, Content-Length, a weak ETag
 * (size + mtime), Last-Modified, Cache-Control and `Accept-Ranges: bytes`. Answers
 * GET/HEAD conditionals with 304 (If-None-Match wins over If-Modified-Since) and a
 * single byte range with 206; a multi-range request gets the whole file. The file is
 * opened only when the body is streamed, so a response that never sends it (HEAD, a 304,
 * a body replaced later) holds no file descriptor.
 *
 * Pass only trusted paths: to serve a folder to the public use `serveStatic()`,
 * which refuses traversal.
 *
 * @param c - The request context.
 * @param path - The file; relative paths resolve against the working directory.
 * @param options - Caching, content type and download name.
 * @throws TRUSS_ERR_FILE_NOT_FOUND (404) when there is no regular file at `path`.
 * @throws TRUSS_ERR_RANGE_NOT_SATISFIABLE (416, with `Content-Range: bytes *\/size`).
 * @example
 * ```ts
 * import { App, sendFile } from "truss"
 * const app = new App()
 * app.get("/report", (c) => sendFile(c, "/srv/reports/latest.pdf", { download: "report.pdf" }))
 * ```
 */
export async function sendFile(
  c: Context,
  path: string,
  options: SendFileOptions = {},
): Promise<Reply<unknown>> {
  const file = resolve(path)
  let stats: Stats
  try {
    // stat, not open: a FIFO or device is refused here without being opened.
    stats = await stat(file)
  } catch (err) {
    throw notFound(c, err)
  }
  if (!stats.isFile()) throw errors.FILE_NOT_FOUND({ path: c.req.path })
  // The body opens the file only when read; an unreadable file is a 500 now, not a
  // response cut off after its headers (a synchronous access(2), cheaper than a pool hop).
  accessSync(file, constants.R_OK)
  return respond(c, file, stats, options)
}

function respond(c: Context, file: string, stats: Stats, options: SendFileOptions): Reply<unknown> {
  const size = stats.size
  const modified = Math.floor(stats.mtimeMs / 1000) * 1000
  const etag = `W/"${size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
  const method = c.req.method
  const conditional = method === "GET" || method === "HEAD"
  const range = conditional ? rangeOf(c, size, modified) : undefined
  if (range === "unsatisfiable") {
    throw errors.RANGE_NOT_SATISFIABLE(
      { size },
      { headers: { "content-range": `bytes */${size}` } },
    )
  }
  c.header("etag", etag)
  c.header("last-modified", new Date(modified).toUTCString())
  c.header("cache-control", cacheControl(options))
  c.header("accept-ranges", "bytes")
  if (conditional && notModified(c, etag, modified)) {
    c.status = 304
    c.body = null
    return c
  }
  c.header("content-type", options.contentType ?? contentTypeOf(file))
  if (options.contentEncoding) c.header("content-encoding", options.contentEncoding)
  if (options.download) c.header("content-disposition", disposition(file, options.download))
  const start = range?.start ?? 0
  const end = range?.end ?? size - 1
  if (range) {
    c.status = 206
    c.header("content-range", `bytes ${start}-${end}/${size}`)
  } else c.status = 200
  c.header("content-length", String(end - start + 1))
  if (method === "HEAD" || end < start) {
    c.body = method === "HEAD" ? empty() : new Uint8Array(0)
    return c
  }
  c.body = new FileBody(file, stats, start, end)
  return c
}

/**
 * The Content-Type for a file name; text types get `; charset=utf-8`.
 * @example `contentTypeOf("site.css")` is `"text/css; charset=utf-8"`; unknown extensions give `"application/octet-stream"`.
 */
export function contentTypeOf(file: string): string {
  return mime().contentType(extname(file)) || "application/octet-stream"
}

function notFound(c: Context, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code
  if (code !== undefined && MISSING.has(code)) {
    return errors.FILE_NOT_FOUND({ path: c.req.path }, { cause: err })
  }
  return err
}

function cacheControl(options: SendFileOptions): string {
  const maxAge = Math.max(0, Math.floor(options.maxAge ?? (options.immutable ? ONE_YEAR : 0)))
  return `public, max-age=${maxAge}${options.immutable ? ", immutable" : ""}`
}

function notModified(c: Context, etag: string, modified: number): boolean {
  const match = c.req.header("if-none-match")
  if (match !== undefined) {
    const bare = etag.slice(2)
    return match.split(",").some((tag) => {
      const t = tag.trim()
      return t === "*" || (t.startsWith("W/") ? t.slice(2) : t) === bare
    })
  }
  const since = c.req.header("if-modified-since")
  if (since === undefined) return false
  const time = Date.parse(since)
  return !Number.isNaN(time) && modified <= time
}

/**
 * The byte range to send, `"unsatisfiable"`, or undefined for the whole file.
 * If-Range with an entity tag never matches: our ETags are weak and RFC 9110
 * §13.1.5 requires a strong comparison. An HTTP-date must equal Last-Modified.
 */
function rangeOf(
  c: Context,
  size: number,
  modified: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const header = c.req.header("range")
  if (header === undefined) return undefined
  const ifRange = c.req.header("if-range")?.trim()
  if (ifRange !== undefined) {
    const isTag = ifRange.startsWith('"') || ifRange.startsWith("W/")
    if (isTag || Date.parse(ifRange) !== modified) return undefined
  }
  const m = /^bytes=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i.exec(header)
  if (!m || (m[1] === "" && m[2] === "")) return undefined
  if (m[1] === "") {
    const suffix = Number(m[2])
    if (suffix === 0 || size === 0) return "unsatisfiable"
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const last = m[2] === "" ? Number.POSITIVE_INFINITY : Number(m[2])
  if (last < start) return undefined
  if (start >= size) return "unsatisfiable"
  return { start, end: Math.min(last, size - 1) }
}

function disposition(file: string, download: true | string): string {
  const name = download === true ? basename(file) : download
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_")
  if (ascii === name) return `attachment; filename="${name}"`
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

async function* empty(): AsyncGenerator<Uint8Array, void, undefined> {}
