/** The outcome of checking a request path before it is mapped to a file. */
export interface CheckedPath {
  /** Decoded path segments, safe to join under the root (empty when refused). */
  segments: string[]
  /** Why the path is refused; it then never reaches the filesystem. */
  refused: string | undefined
  /** True when a segment starts with "." (a dotfile or dot-folder). */
  dotfile: boolean
}

const ENCODED_SLASH = /%(2f|5c)/i
const ENCODED_NUL = /%00/
const DOUBLE_ENCODED = /%(2e|2f|5c|00)/i

/**
 * Checks the raw (still percent-encoded) path below a static prefix. Each segment
 * is decoded once; anything that could step outside the root, or that another
 * layer might decode into such a step, is refused rather than cleaned up.
 *
 * @example `checkPath("/css/site.css").segments` is `["css", "site.css"]`;
 * `checkPath("/%2e%2e/etc/passwd").refused` is `'contains a "." or ".." segment'`.
 */
export function checkPath(raw: string): CheckedPath {
  if (raw.includes("\\")) return refuse("contains a backslash")
  if (raw.includes("\0") || ENCODED_NUL.test(raw)) return refuse("contains a NUL byte")
  if (ENCODED_SLASH.test(raw)) return refuse("contains an encoded slash or backslash")
  if (raw === "" || raw === "/") return { segments: [], refused: undefined, dotfile: false }
  if (!raw.startsWith("/")) return refuse("does not start with a slash")
  const parts = raw.slice(1).split("/")
  // A trailing slash (a directory request) leaves one empty segment at the end.
  if (parts[parts.length - 1] === "") parts.pop()
  const segments: string[] = []
  let dotfile = false
  for (const part of parts) {
    if (part === "") return refuse("contains an empty segment (//)")
    let segment: string
    try {
      segment = decodeURIComponent(part)
    } catch {
      return refuse("has malformed percent-encoding")
    }
    if (segment === "." || segment === "..") return refuse('contains a "." or ".." segment')
    if (segment.includes("/") || segment.includes("\\") || segment.includes("\0")) {
      return refuse("contains an encoded slash, backslash or NUL byte")
    }
    if (DOUBLE_ENCODED.test(segment)) return refuse("is double-encoded")
    if (segment.startsWith(".")) dotfile = true
    segments.push(segment)
  }
  return { segments, refused: undefined, dotfile }
}

function refuse(reason: string): CheckedPath {
  return { segments: [], refused: reason, dotfile: false }
}
