/**
 * Raw HTTP/1.x requests as fast-check arbitraries (methods, request lines, header names
 * and values, encodings, bodies, multipart, framing), and a sender over node:net. Shared
 * by test/reliability/http-fuzz.test.ts and `npm run bench -- reliability --fuzz N`.
 * @module
 */
import { connect } from "node:net"
import fc from "fast-check"

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"]
const PATHS = [
  "/",
  "/items/42",
  "/query",
  "/session",
  "/json",
  "/form",
  "/parts",
  "/text",
  "/protected",
  "/nope",
]
const HEADER_NAMES = [
  "host",
  "content-type",
  "content-length",
  "transfer-encoding",
  "cookie",
  "accept-encoding",
  "x-csrf-token",
  "origin",
  "referer",
  "content-encoding",
  "expect",
  "range",
  "if-none-match",
  "connection",
  "authorization",
  "x-forwarded-for",
  "accept",
  "upgrade",
]
const TYPES = [
  "application/json",
  "application/json; charset=utf-16",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=XyZ",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "text/plain; charset=latin1",
  "text/plain; charset=nonsense",
  "application/octet-stream",
  "*/*",
  "",
]

/** Any text, with control characters, non-ASCII and percent escapes mixed in. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "%",
    "%zz",
    "%00",
    "%c3%28",
    "..",
    "//",
    "\u0000",
    "\r",
    "\n",
    "é",
    "😀",
    "\uD800",
  ),
  fc
    .array(fc.constantFrom("a", "%", "/", "?", "&", "=", "#", ";", "\t", " ", "\u00ff", ".."))
    .map((a) => a.join("")),
)

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.constantFrom("get", "FOO", "", "G ET", "PRI", "M-SEARCH") },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
)
const target = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...PATHS), nasty).map(([p, s]) => `${p}${s}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...PATHS), nasty, nasty)
      .map(([p, k, v]) => `${p}?${k}=${v}&${k}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("*", "http://x/", "//", "/%", "", `/${"a".repeat(9000)}`),
  },
)
const version = fc.constantFrom(
  "HTTP/1.1",
  "HTTP/1.1",
  "HTTP/1.1",
  "HTTP/1.0",
  "HTTP/2.0",
  "HTTP/1.1x",
  "",
  "HTTP/0.9",
)

const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HEADER_NAMES) },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 12 }) },
)
const headerValue = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.constantFrom(...TYPES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "gzip",
      "br",
      "chunked",
      "chunked, gzip",
      "100-continue",
      "bytes=0-1",
      "-1",
      "99999999999",
      "a=b; c",
      "close",
      "websocket",
    ),
  },
  { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => "x".repeat(n)) },
)

/** A multipart body: parts with arbitrary names, filenames and types, maybe cut short. */
const multipart = fc
  .tuple(
    fc.array(fc.tuple(nasty, fc.option(nasty), fc.option(fc.constantFrom(...TYPES)), nasty), {
      maxLength: 5,
    }),
    fc.boolean(),
  )
  .map(([parts, truncated]) => {
    const body = parts
      .map(([name, file, type, value]) => {
        const disposition = `form-data; name="${name}"${file === null ? "" : `; filename="${file}"`}`
        const head = `Content-Disposition: ${disposition}\r\n${type === null ? "" : `Content-Type: ${type}\r\n`}`
        return `--XyZ\r\n${head}\r\n${value}\r\n`
      })
      .join("")
    const whole = `${body}--XyZ--\r\n`
    return truncated ? whole.slice(0, Math.floor(whole.length / 2)) : whole
  })
const body = fc.oneof(
  fc.constant(""),
  nasty,
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  multipart,
  fc.array(fc.tuple(nasty, nasty)).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join("&")),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
)
/** How the body is framed: right length, wrong length, none, chunked (valid or broken). */
const framing = fc.constantFrom(
  "length",
  "length",
  "none",
  "short",
  "long",
  "chunked",
  "bad-chunk",
  "both",
)

/** What a parser lets through: percent-encodes what a request target cannot hold. */
const asTarget = (t: string) =>
  t.replace(/[^\x21-\x7e]/gu, (ch) =>
    [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  )
/** A header value node accepts: no control characters but tab. */
const asValue = (v: string) => v.replace(/[^\t\x20-\x7e\x80-\xff]/gu, "")
/** Headers the framing sets: a well-formed request does not repeat or contradict them. */
const FRAMING_HEADERS = ["host", "content-length", "transfer-encoding", "expect", "upgrade"]

/**
 * One raw request as bytes, and what it was made of (for the failure report). Three in
 * four are well-formed enough to reach the app (a known method, HTTP/1.1, header values a
 * parser accepts, an escaped target) with nasty content; the rest are raw.
 */
export const rawRequest = fc
  .record({
    wellFormed: fc.constantFrom(true, true, true, false),
    method,
    target,
    version,
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }),
    contentType: fc.constantFrom(...TYPES),
    body,
    framing,
  })
  .map((r) => {
    if (!r.wellFormed) return r
    return {
      ...r,
      method: METHODS.includes(r.method) ? r.method : "POST",
      target: asTarget(r.target.startsWith("/") ? r.target : `/${r.target}`),
      version: "HTTP/1.1",
      framing: ["both", "bad-chunk"].includes(r.framing) ? "length" : r.framing,
      headers: r.headers
        .filter(([name]) => HEADER_NAMES.includes(name) && !FRAMING_HEADERS.includes(name))
        .map(([name, value]) => [name, asValue(value)] as [string, string]),
    }
  })
  .map((r) => {
    const bytes = Buffer.from(r.body, "utf8")
    const lines = [
      `${r.method} ${r.target} ${r.version}`.trimEnd(),
      "host: 127.0.0.1",
      `content-type: ${r.contentType}`,
    ]
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`)
    let payload: Buffer = bytes
    if (r.framing === "length" || r.framing === "both")
      lines.push(`content-length: ${bytes.length}`)
    if (r.framing === "short") lines.push(`content-length: ${Math.max(0, bytes.length - 3)}`)
    if (r.framing === "long") lines.push(`content-length: ${bytes.length + 10}`)
    if (r.framing === "chunked" || r.framing === "both" || r.framing === "bad-chunk") {
      lines.push("transfer-encoding: chunked")
      const size = r.framing === "bad-chunk" ? "zz" : bytes.length.toString(16)
      payload = Buffer.concat([Buffer.from(`${size}\r\n`), bytes, Buffer.from("\r\n0\r\n\r\n")])
    }
    const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1")
    return { spec: r, bytes: Buffer.concat([head, payload]) }
  })

/** What came back on the socket. */
export interface RawResponse {
  /** The first status code, or undefined when the server closed without one. */
  status: number | undefined
  /** Whether the server closed the connection before `timeoutMs`. */
  closed: boolean
  head: string
}

/** Writes `bytes`, half-closes, and reads until the server closes or `timeoutMs` passes. */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 3000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port })
    const chunks: Buffer[] = []
    const finish = (closed: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString("latin1")
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text)
      resolve({ status: m ? Number(m[1]) : undefined, closed, head: text.slice(0, 300) })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on("data", (d) => chunks.push(d))
    socket.on("error", () => {})
    socket.on("close", () => finish(true))
    socket.on("connect", () => socket.end(bytes))
  })
}
