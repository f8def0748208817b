import { APP, type Context, SERIALIZE } from "../context.js"
import { INTERNAL, TrussError } from "../errors.js"
import { debugPage, errorPage, titleOf } from "./error-page.js"

/** Wraps anything thrown into a `TrussError`; unknown errors become hidden 500s. */
export function toTrussError(err: unknown): TrussError {
  if (err instanceof TrussError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new TrussError(INTERNAL.code, message, 500, { cause: err, expose: false })
}

/** True when the client prefers HTML (a browser) over JSON. */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header("accept")
  if (!accept) return false
  const html = accept.indexOf("text/html")
  if (html === -1) return false
  const json = accept.indexOf("json")
  return json === -1 || html < json
}

/**
 * The default error response: RFC 9457 problem+json for APIs, an HTML page for
 * browsers. A 5xx never shows its message, stack or cause unless `debug` is on; a 4xx
 * never shows a stack, even in debug (the client's mistake, not the code's).
 */
export function renderError(c: Context, error: TrussError): void {
  const debug = c[APP].debug
  const exposed = error.expose || debug
  const debugServer = debug && error.status >= 500
  if (error.status >= 500) {
    const err = error.code === INTERNAL.code && error.cause !== undefined ? error.cause : error
    c.log.error({ err, method: c.req.method, path: c.req.path }, error.message)
  }
  c.status = error.status
  c[SERIALIZE] = undefined // error bodies are never shaped by a route's response schema
  if (error.headers) for (const k in error.headers) c.header(k, error.headers[k])
  c.header("content-length", undefined)
  c.header("content-encoding", undefined)
  if (wantsHtml(c)) {
    const page = debugServer
      ? debugPage(c, error)
      : errorPage(error.status, exposed ? error.message : undefined)
    c.html(page, error.status)
    return
  }
  const problem: Record<string, unknown> = {
    type: "about:blank",
    title: titleOf(error.status),
    status: error.status,
    code: exposed ? error.code : INTERNAL.code,
  }
  if (exposed) problem.detail = error.message
  else problem.detail = INTERNAL().message
  if (error.status >= 500) problem.requestId = c.id
  if (exposed && error.extensions) Object.assign(problem, error.extensions)
  if (debugServer) {
    // An unknown error arrives wrapped: show where it was thrown, not where it was wrapped.
    const origin =
      error.code === INTERNAL.code && error.cause instanceof Error ? error.cause : error
    problem.stack = origin.stack?.split("\n")
    if (origin.cause !== undefined)
      problem.cause = String((origin.cause as Error)?.stack ?? origin.cause)
  }
  c.json(problem, error.status, { "content-type": "application/problem+json" })
}
