import type { Context } from "../context.js"

/** Puts a handler's return value into the context's response. */
export function setResult(c: Context, value: unknown): void {
  if (value === c) return
  if (typeof value === "string") {
    c.text(value)
  } else if (isJsonValue(value)) {
    // Most results are plain objects or arrays: JSON, without the class checks below
    // (Response and ReadableStream are node's lazily loaded globals, which V8 cannot
    // fold into an instanceof check: ~0.1 µs a request on the hello route).
    c.json(value)
  } else if (value instanceof Response) {
    absorbResponse(c, value)
  } else if (value instanceof Uint8Array) {
    if (c.header("content-type") === undefined) c.header("content-type", "application/octet-stream")
    c.body = value
  } else if (value instanceof ReadableStream) {
    c.stream(value)
  } else {
    c.json(value)
  }
}

/** Copies a web `Response` into the context, keeping headers set earlier by middleware. */
export function absorbResponse(c: Context, res: Response): void {
  c.status = res.status
  const cookies = res.headers.getSetCookie()
  for (const [name, value] of res.headers) {
    if (name !== "set-cookie") c.header(name, value)
  }
  for (const cookie of cookies) c.header("set-cookie", cookie, { append: true })
  c.body = res.body
}

function isJsonValue(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === Array.prototype || proto === null
}
