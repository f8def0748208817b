import type { Readable, Transform } from "node:stream"
import { promisify } from "node:util"
import {
  type BrotliOptions,
  brotliCompress,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  type ZlibOptions,
} from "node:zlib"
import type { Middleware } from "../../compose.js"
import type { Context } from "../../context.js"
import { errors } from "../../errors.js"
import { isBodyless, toReadable } from "../../server/body.js"
import { acceptedEncodings, type Encoding, varyOnEncoding } from "./accept-encoding.js"

export type { Encoding } from "./accept-encoding.js"

/**
 * Options for {@link compress}.
 * @example
 * ```ts
 * import { App, compress } from "truss"
 * const app = new App()
 * app.use(compress({ threshold: 2048, encodings: ["gzip"] }))
 * ```
 */
export interface CompressOptions {
  /** Bodies of known size smaller than this many bytes are sent as they are. @default 1024 */
  threshold?: number
  /** Encodings offered, in order of preference when the client's q-values tie. @default ["br", "gzip"] */
  encodings?: Encoding[]
  /**
   * Compression level 0–9 for both encodings, or one per encoding (Brotli takes 0–11).
   * @default { br: 4, gzip: 6 } (Brotli's own default of 11 is too slow for responses)
   */
  level?: number | { br?: number; gzip?: number }
}

const brotliAsync = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Media types that are already compressed (or opaque): compressing them wastes CPU. */
const INCOMPRESSIBLE = new Set([
  "application/octet-stream",
  "application/zip",
  "application/gzip",
  "application/x-gzip",
  "application/x-brotli",
  "application/x-bzip2",
  "application/x-xz",
  "application/x-7z-compressed",
  "application/x-rar-compressed",
  "application/zstd",
  "font/woff",
  "font/woff2",
])

/**
 * Compresses response bodies with Brotli or gzip, chosen by `Accept-Encoding`
 * (Brotli wins a q-value tie; `q=0` refuses). Strings and bytes are compressed in one
 * async call; streams (web, node, async iterables) are piped through zlib.
 * `text/event-stream` is compressed too, with a zlib flush after every chunk so each
 * event reaches the client at once.
 *
 * Skipped for HEAD, 204/206/304, bodies of known size below `threshold`, responses
 * with `Content-Encoding` already set or `Cache-Control: no-transform`, responses
 * without a Content-Type, and already-compressed types (images other than SVG,
 * video, audio, archives, woff/woff2, `application/octet-stream`). Adds
 * `Vary: Accept-Encoding` to every response it could have compressed, and to a HEAD
 * or 304 whose GET it would compress (RFC 9110: a 304 carries the 200's Vary), drops
 * Content-Length, and weakens a strong ETag.
 *
 * @param options - `threshold`, `encodings`, `level`.
 * @throws TRUSS_ERR_INVALID_OPTION for an unknown encoding or a level out of range.
 * @example
 * ```ts
 * import { App, compress } from "truss"
 * const app = new App()
 * app.use(compress({ threshold: 512 }))
 * app.get("/big", () => "x".repeat(10_000))
 * ```
 */
export function compress(options: CompressOptions = {}): Middleware {
  const threshold = options.threshold ?? 1024
  const encodings = options.encodings ?? ["br", "gzip"]
  for (const e of encodings) {
    if (e !== "br" && e !== "gzip") {
      throw errors.INVALID_OPTION({
        option: "compress encodings",
        reason: `"${e}" is not "br" or "gzip"`,
      })
    }
  }
  const br = level(options.level, "br", 4, 11)
  const gz = level(options.level, "gzip", 6, 9)
  const brOptions: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: br } }
  const gzOptions: ZlibOptions = { level: gz }

  return async function compress(c, next) {
    await next()
    const body = c.body
    if (c.status === 304 || c.req.method === "HEAD") {
      // Nothing to encode, but RFC 9110 wants the Vary a full GET response would carry.
      if (eligible(c, body, threshold) !== undefined)
        c.header("vary", varyOnEncoding(c.header("vary")))
      return
    }
    if (body == null) return
    const type = eligible(c, body, threshold)
    if (type === undefined) return
    c.header("vary", varyOnEncoding(c.header("vary")))
    const encoding = acceptedEncodings(c.req.header("accept-encoding"), encodings)[0]
    if (encoding === undefined) return
    c.header("content-encoding", encoding)
    c.header("content-length", undefined)
    const etag = c.header("etag")
    if (typeof etag === "string" && etag.startsWith('"')) c.header("etag", `W/${etag}`)
    if (typeof body === "string" || body instanceof Uint8Array) {
      const input = typeof body === "string" ? Buffer.from(body) : body
      // A size hint lets Brotli size its window to the body: about a third faster on 2 KB.
      c.body =
        encoding === "br"
          ? await brotliAsync(input, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: br,
                [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
              },
            })
          : await gzipAsync(input, gzOptions)
      return
    }
    const zlib = encoding === "br" ? createBrotliCompress(brOptions) : createGzip(gzOptions)
    c.body = pump(
      toReadable(body),
      zlib,
      type === "text/event-stream" ? flushKind(encoding) : undefined,
    )
  }
}

/**
 * The media type (`""` when a 304 names none) if a GET answered like this would be
 * compressed, so the response varies on Accept-Encoding; undefined if not. A 304 has
 * no body and usually no Content-Type: it counts unless what it does say rules it out
 * (no-transform, an incompressible type, a Content-Length below the threshold).
 */
function eligible(c: Context, body: Context["body"], threshold: number): string | undefined {
  const status = c.status
  const revalidated = status === 304
  if (body == null && !revalidated) return undefined
  if ((isBodyless(status) && !revalidated) || status === 206) return undefined
  if (c.header("content-encoding") !== undefined) return undefined
  if (
    String(c.header("cache-control") ?? "")
      .toLowerCase()
      .includes("no-transform")
  )
    return undefined
  const type = mediaType(c.header("content-type"))
  if (type === undefined ? !revalidated : !compressible(type)) return undefined
  const size = knownSize(c, body)
  return size === undefined || size >= threshold ? (type ?? "") : undefined
}

/** Pipes `source` into `zlib`, flushing after each chunk when `flush` is set; returns `zlib`. */
function pump(
  source: Readable,
  zlib: Transform & { flush(kind?: number): void },
  flush: number | undefined,
): Transform {
  source.once("error", (err) => zlib.destroy(err))
  zlib.once("close", () => source.destroy())
  zlib.on("drain", () => source.resume())
  source.on("data", (chunk: Buffer | string) => {
    if (zlib.destroyed) return
    if (!zlib.write(chunk)) source.pause()
    // Queued behind the write, so the chunk is emitted before the flush completes.
    if (flush !== undefined) zlib.flush(flush)
  })
  source.once("end", () => zlib.end())
  return zlib
}

function flushKind(encoding: Encoding): number {
  return encoding === "br" ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH
}

function mediaType(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  return value.split(";")[0]!.trim().toLowerCase()
}

/** False for media that is already compressed: see {@link INCOMPRESSIBLE}. */
function compressible(type: string): boolean {
  if (type.startsWith("image/")) return type === "image/svg+xml"
  if (type.startsWith("video/") || type.startsWith("audio/")) return false
  return !INCOMPRESSIBLE.has(type)
}

function knownSize(c: Context, body: Context["body"]): number | undefined {
  if (typeof body === "string") return Buffer.byteLength(body)
  if (body instanceof Uint8Array) return body.byteLength
  const header = c.header("content-length")
  const length = typeof header === "string" ? Number(header) : Number.NaN
  return Number.isInteger(length) && length >= 0 ? length : undefined
}

function level(
  option: CompressOptions["level"],
  encoding: Encoding,
  fallback: number,
  max: number,
): number {
  const value = typeof option === "number" ? option : (option?.[encoding] ?? fallback)
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw errors.INVALID_OPTION({
      option: `compress level (${encoding})`,
      reason: `${value} is not a whole number from 0 to ${max}`,
    })
  }
  return value
}
