import type { Context } from "../context.js"
import { isBodyless, isWhole, toWebStream } from "./body.js"
import { replaceUnsendable } from "./unsendable.js"

/** {@link toResponse}, answering 500 when `Headers` refuses one of the response's headers. */
export function webResponse(c: Context, head: boolean): Response {
  try {
    return toResponse(c, head)
  } catch (err) {
    replaceUnsendable(c, err)
    return toResponse(c, head)
  }
}

/** Turns the context's response into a web `Response`. */
export function toResponse(c: Context, head: boolean): Response {
  const headers = new Headers()
  const own = c.headers
  for (const name in own) {
    const value = own[name]!
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  const body = c.body
  const status = c.status
  if (isWhole(body)) {
    if (!isBodyless(status)) {
      const length =
        body == null ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength
      headers.set("content-length", String(length))
    }
    return new Response(head || isBodyless(status) ? null : (body as BodyInit | null), {
      status,
      headers,
    })
  }
  if (head || isBodyless(status)) return new Response(null, { status, headers })
  return new Response(toWebStream(body), { status, headers })
}
