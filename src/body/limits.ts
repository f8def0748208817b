/**
 * Size limits for request bodies; every reader enforces them.
 * @example
 * ```ts
 * import { App, type BodyLimits } from "truss"
 * const uploads: Partial<Omit<BodyLimits, "body">> = { fileSize: 50 * 1024 * 1024, files: 3 }
 * const app = new App({ bodyLimit: 512 * 1024, multipart: uploads })
 * ```
 */
export interface BodyLimits {
  /** Largest JSON, text, urlencoded or raw body in bytes. @default 1 MiB */
  body: number
  /** Largest single uploaded file in bytes. @default 10 MiB */
  fileSize: number
  /** Most files in one multipart body. @default 10 */
  files: number
  /** Most non-file fields in one multipart body. @default 100 */
  fields: number
  /** Largest non-file field value in bytes. @default 1 MiB */
  fieldSize: number
}

/** The defaults: 1 MiB bodies, 10 MiB files, 10 files, 100 fields. */
export const DEFAULT_LIMITS: Readonly<BodyLimits> = Object.freeze({
  body: 1024 * 1024,
  fileSize: 10 * 1024 * 1024,
  files: 10,
  fields: 100,
  fieldSize: 1024 * 1024,
})

/** The lower-cased media type of a Content-Type header, without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return ""
  const semi = contentType.indexOf(";")
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
}

/** True for `application/json` and any `+json` type. */
export function isJson(type: string): boolean {
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))
}
