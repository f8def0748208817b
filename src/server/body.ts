import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import type { ResponseBody } from "../context.js"

/** Bodies that are sent whole, with a Content-Length. */
export function isWhole(
  body: ResponseBody | undefined,
): body is string | Uint8Array | null | undefined {
  return (
    body === null || body === undefined || typeof body === "string" || body instanceof Uint8Array
  )
}

/** A streamed body as a node Readable. */
export function toReadable(body: Exclude<ResponseBody, string | Uint8Array | null>): Readable {
  if (body instanceof Readable) return body
  if (body instanceof ReadableStream)
    return Readable.fromWeb(body as NodeReadableStream<Uint8Array>)
  return Readable.from(body, { objectMode: false })
}

/** A streamed body as a web ReadableStream of bytes. */
export function toWebStream(
  body: Exclude<ResponseBody, string | Uint8Array | null>,
): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body
  const encoder = new TextEncoder()
  const iterator = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next()
      if (done) controller.close()
      else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

/** Statuses that never carry a body. */
export function isBodyless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200)
}
