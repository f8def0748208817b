import type { ServerResponse } from "node:http"
import { pipeline } from "node:stream"
import type { Context } from "../context.js"
import { isBodyless, isWhole, toReadable } from "./body.js"

/**
 * Writes the context's response to node's `ServerResponse`. Returns true when the
 * response ended here, false when a stream body is still being piped.
 */
export function writeNode(c: Context, res: ServerResponse): boolean {
  const body = c.body
  const status = c.status
  const headers = c.headers
  if (isWhole(body)) {
    if (isBodyless(status)) {
      res.writeHead(status, headers)
      res.end()
      return true
    }
    const length =
      body == null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength
    headers["content-length"] = String(length)
    res.writeHead(status, headers)
    res.end(body ?? undefined)
    return true
  }
  res.writeHead(status, headers)
  const source = toReadable(body)
  if (c.req.method === "HEAD" || isBodyless(status)) {
    source.destroy()
    res.end()
    return true
  }
  // The client may have gone while the handler awaited: pipeline() throws on a destroyed res.
  if (res.destroyed) {
    source.destroy()
    return true
  }
  pipeline(source, res, (err) => {
    if (err && err.code !== "ERR_STREAM_PREMATURE_CLOSE")
      c.log.error({ err }, "response stream failed")
  })
  return false
}
