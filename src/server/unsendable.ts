import type { Context } from "../context.js"
import { errors } from "../errors.js"
import { renderError } from "../response/error-response.js"

/**
 * Turns a response that node (or `Headers`) refused to write, such as a header set
 * directly on `c.headers` with a CR, LF or a character above U+00FF, into the app's
 * 500: the coded error is logged and one bad header never takes the process down.
 */
export function replaceUnsendable(c: Context, err: unknown): void {
  const headers = c.headers
  for (const name in headers) delete headers[name]
  const reason = err instanceof Error ? err.message : String(err)
  renderError(c, errors.RESPONSE_UNSENDABLE({ reason }, { cause: err }))
}
