import type { Readable } from "node:stream"
import { errors, TrussError } from "../errors.js"
import { lazyRequire } from "../util/lazy.js"
import { clientAborted, isAbort } from "./collect.js"
import type { BodyLimits } from "./limits.js"

// The multipart parser loads on the first multipart body, not with `import "truss"`.
const busboy = lazyRequire<typeof import("@fastify/busboy")>("@fastify/busboy")

/**
 * A non-file field of a multipart body.
 * @example
 * ```ts
 * import { App } from "truss"
 * new App().post("/fields", async (c) => {
 *   const fields: Record<string, string> = {}
 *   for await (const part of c.req.parts()) if (part.kind === "field") fields[part.name] = part.value
 *   return fields
 * })
 * ```
 */
export interface FieldPart {
  kind: "field"
  name: string
  value: string
}

/**
 * A file of a multipart body. Read `stream` before asking for the next part.
 * @example
 * ```ts
 * import { App } from "truss"
 * new App().post("/sizes", async (c) => {
 *   const sizes: Record<string, number> = {}
 *   for await (const part of c.req.parts()) {
 *     if (part.kind !== "file") continue
 *     let n = 0
 *     for await (const chunk of part.stream) n += (chunk as Buffer).length
 *     sizes[part.filename] = n
 *   }
 *   return sizes
 * })
 * ```
 */
export interface FilePart {
  kind: "file"
  name: string
  filename: string
  type: string
  /** The file's bytes. Fails with TRUSS_ERR_MULTIPART_LIMIT past `limits.fileSize`. */
  stream: Readable
}

/**
 * One part of a multipart body, as yielded by `c.req.parts()`.
 * @example
 * ```ts
 * import type { Part } from "truss"
 * function describe(part: Part): string {
 *   return part.kind === "file" ? `${part.name}: ${part.filename} (${part.type})` : `${part.name}=${part.value}`
 * }
 * ```
 */
export type Part = FieldPart | FilePart

/**
 * Streams a multipart body part by part with busboy, enforcing `limits`. An unread
 * file stream is drained when the next part is requested.
 */
export async function* multipartParts(
  source: Readable,
  contentType: string,
  limits: BodyLimits,
): AsyncGenerator<Part, void, undefined> {
  const queue: Part[] = []
  let failure: unknown
  let finished = false
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  const fail = (err: unknown) => {
    if (failure === undefined) failure = err
    source.unpipe(bb)
    source.pause()
    notify()
  }

  let bb: ReturnType<typeof import("@fastify/busboy").Busboy>
  try {
    bb = busboy().Busboy({
      headers: { "content-type": contentType },
      limits: {
        fileSize: limits.fileSize,
        files: limits.files,
        fields: limits.fields,
        fieldSize: limits.fieldSize,
        parts: limits.files + limits.fields,
      },
    })
  } catch (cause) {
    throw errors.INVALID_FORM({ reason: (cause as Error).message }, { cause })
  }
  bb.on("field", (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated) return fail(limitError("field size", limits.fieldSize))
    queue.push({ kind: "field", name, value })
    notify()
  })
  bb.on("file", (name, stream, filename, _encoding, type) => {
    // A queued or skipped file stream has no reader yet: without this listener its
    // limit error would be an unhandled 'error' event and crash the process. The
    // error still reaches the caller through fail() and any reader of the stream.
    stream.on("error", ignore)
    stream.once("limit", () => {
      const err = limitError("file size", limits.fileSize)
      stream.destroy(err)
      fail(err)
    })
    queue.push({ kind: "file", name, filename: filename ?? "", type, stream })
    notify()
  })
  bb.on("filesLimit", () => fail(limitError("file count", limits.files)))
  bb.on("fieldsLimit", () => fail(limitError("field count", limits.fields)))
  bb.on("partsLimit", () => fail(limitError("part count", limits.files + limits.fields)))
  bb.on("error", (cause) =>
    fail(
      cause instanceof TrussError
        ? cause
        : errors.INVALID_FORM({ reason: (cause as Error).message }, { cause }),
    ),
  )
  bb.on("finish", () => {
    finished = true
    notify()
  })
  // A client that goes away mid-upload is a 499 logged at info, as for buffered bodies.
  source.on("error", (err) => fail(isAbort(err, source) ? clientAborted(err) : err))
  source.pipe(bb)

  let previous: Part | undefined
  try {
    while (true) {
      if (previous?.kind === "file" && !previous.stream.readableEnded) previous.stream.resume()
      if (failure !== undefined) throw failure
      const next = queue.shift()
      if (next) {
        previous = next
        yield next
        continue
      }
      if (finished) return
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  } finally {
    if (!finished) {
      // Left early (break, return or a parse error): discard the rest of the body, as
      // node does for unread bodies, so the keep-alive connection is not left stalled.
      // After a limit error the server closes the connection instead of reading on.
      source.unpipe(bb)
      if (!errors.MULTIPART_LIMIT.is(failure)) source.resume()
    }
  }
}

function ignore(): void {}

function limitError(what: string, limit: number) {
  return errors.MULTIPART_LIMIT({ what, limit }, { headers: { connection: "close" } })
}

/** Buffers every part into a web `FormData`; files become `File` objects. */
export async function multipartForm(
  source: Readable,
  contentType: string,
  limits: BodyLimits,
): Promise<FormData> {
  const form = new FormData()
  for await (const part of multipartParts(source, contentType, limits)) {
    if (part.kind === "field") {
      form.append(part.name, part.value)
      continue
    }
    const chunks: Buffer[] = []
    for await (const chunk of part.stream) chunks.push(chunk as Buffer)
    form.append(
      part.name,
      new File(chunks as unknown as BlobPart[], part.filename, { type: part.type }),
    )
  }
  return form
}
