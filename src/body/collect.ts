import type { Readable } from "node:stream"
import { errors } from "../errors.js"

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
      reject(err)
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
