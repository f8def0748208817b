import type { Readable } from "node:stream"
import { errors, HttpError } from "../errors.js"

/**
 * Buffers a body up to `limit` bytes. Past the limit it stops reading (the rest is
 * never buffered) and rejects with a 413 that asks the server to close the socket.
 */
export function collect(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      stream.off("data", onData)
      stream.off("end", onEnd)
      stream.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        stream.pause()
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onError = (err: Error) => {
      cleanup()
      reject(isAbort(err, stream) ? clientAborted(err) : err)
    }
    stream.on("data", onData)
    stream.on("end", onEnd)
    stream.on("error", onError)
  })
}

/** A 413 that tells the node server to close the connection instead of draining it. */
export function tooLarge(limit: number) {
  return errors.BODY_TOO_LARGE({ limit }, { headers: { connection: "close" } })
}

/** Node's `IncomingMessage` errors with ECONNRESET / "aborted" when the client goes away. */
export function isAbort(err: Error, stream: Readable): boolean {
  const code = (err as { code?: string }).code
  return (
    code === "ECONNRESET" ||
    err.message === "aborted" ||
    (stream as { aborted?: boolean }).aborted === true
  )
}

/**
 * The client closed the connection before its body arrived: nothing failed on our side,
 * so it is a 499 (as nginx names it), which the request line logs at info, with no stack.
 */
export function clientAborted(cause: Error): HttpError {
  return new HttpError(499, "The client closed the connection before the request body arrived.", {
    code: "TRUSS_ERR_CLIENT_ABORTED",
    cause,
  })
}
