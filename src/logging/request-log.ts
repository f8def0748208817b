import { performance } from "node:perf_hooks"
import { APP, type Context } from "../context.js"

/** Echoes the request id; call before the response headers are written. @internal */
export function echoRequestId(c: Context): void {
  c.headers["x-request-id"] = c.id
}

/**
 * Writes the one line per request: method, path, status, ms and reqId. Shared by the
 * node server and `app.fetch()` so both transports log the same fields. @internal
 */
export function logRequest(c: Context, started: number): void {
  const ended = performance.now()
  const ms = Math.round((ended - started) * 100) / 100
  const fast = c[APP].requestLine
  if (fast !== undefined) {
    fast(c.id, c.req.method, c.req.path, c.status, ms, ended)
    return
  }
  c[APP].log.info(
    { reqId: c.id, method: c.req.method, path: c.req.path, status: c.status, ms },
    `${c.req.method} ${c.req.path} ${c.status} ${ms}ms`,
  )
}
