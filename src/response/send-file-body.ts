import { constants, type Stats } from "node:fs"
import { type FileHandle, open } from "node:fs/promises"
import { Readable } from "node:stream"
import { errors } from "../errors.js"

const CHUNK = 64 * 1024
// O_NONBLOCK keeps open() from hanging on a FIFO swapped in after the stat; regular files ignore it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/**
 * Bytes `start`..`end` (inclusive) of a file as a stream that opens the file on its
 * first read and closes it when it ends or is destroyed. A body that is never sent
 * (HEAD, a 304 decided by later middleware, a dropped response) holds no descriptor.
 * The file must still be the one `stats` describes, or the stream fails with
 * TRUSS_ERR_FILE_CHANGED rather than send bytes that do not match the headers. @internal
 */
export class FileBody extends Readable {
  readonly #path: string
  readonly #stats: Stats
  readonly #end: number
  #position: number
  #handle: FileHandle | undefined

  constructor(path: string, stats: Stats, start: number, end: number) {
    super({ highWaterMark: CHUNK })
    this.#path = path
    this.#stats = stats
    this.#position = start
    this.#end = end
  }

  override _read(): void {
    this.#pull().catch((err: Error) => this.destroy(err))
  }

  async #pull(): Promise<void> {
    const handle = this.#handle ?? (await this.#open())
    if (handle === undefined) return
    const length = Math.min(CHUNK, this.#end - this.#position + 1)
    const buffer = Buffer.allocUnsafe(length)
    const { bytesRead } = await handle.read(buffer, 0, length, this.#position)
    if (this.destroyed) return
    if (bytesRead === 0) throw errors.FILE_CHANGED({ path: this.#path })
    this.#position += bytesRead
    this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead))
    if (this.#position > this.#end) this.push(null)
  }

  /** Opens the file, or returns undefined when the stream was destroyed meanwhile. */
  async #open(): Promise<FileHandle | undefined> {
    const handle = await open(this.#path, OPEN_FLAGS)
    if (this.destroyed) {
      await handle.close()
      return undefined
    }
    // Set before the stat, so a destroy() during it closes the handle.
    this.#handle = handle
    const now = await handle.stat()
    const then = this.#stats
    if (now.ino !== then.ino || now.size !== then.size || now.mtimeMs !== then.mtimeMs) {
      throw errors.FILE_CHANGED({ path: this.#path })
    }
    return handle
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.#handle
    this.#handle = undefined
    if (handle === undefined) {
      callback(err)
      return
    }
    // FileHandle.close() waits for a read in flight, so the descriptor is never reused under it.
    handle.close().then(
      () => callback(err),
      (closeErr: Error) => callback(err ?? closeErr),
    )
  }
}
