import type { Context } from "./context.js"

/** Puts a handler's return value into the context's response. */
export function setResult(c: Context, value: unknown): void {
  if (value === c) return
  if (typeof value === "string") {
    c.text(value)
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
