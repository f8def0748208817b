/**
 * How `cachePage` keeps a page in a store: one string, written once per miss and read
 * on every hit without JSON or tagged-JSON work. Two kinds of record:
 *
 * - a page: `"<status> text|base64\n" + "name: value\n"… + "\n" + body`, the body as the
 *   handler produced it (a string) or, for bytes, in base64;
 * - a Vary marker: `"vary name,name"`, stored under the URL's own key when the response
 *   named request headers in `Vary` (the page itself is then under a key with their values).
 *
 * A header that could not go on the wire as it is (a name that is not a token, a value
 * with CR, LF, NUL or a character above U+00FF) makes the page not storable, so no
 * record can ever carry a line that was not a header. Anything else (an old or foreign
 * value) parses as `undefined`: a miss.
 * @module
 */

/** A stored response: status, the single-valued headers, the body. Read-only: hits share it. */
export interface StoredPage {
  readonly kind: "page"
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string | Uint8Array
}

/** The request headers a URL's pages vary on, lower-case. */
export interface VaryMarker {
  readonly kind: "vary"
  readonly names: readonly string[]
}

// RFC 9110: a field name is a token; a value is HTAB, SP, VCHAR or obs-text (as the core checks).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/

/** The record of a page, or undefined when one of its headers cannot be stored safely. */
export function encodePage(page: Omit<StoredPage, "kind">): string | undefined {
  const bytes = typeof page.body !== "string"
  let record = `${page.status} ${bytes ? "base64" : "text"}\n`
  for (const [name, value] of page.headers) {
    if (!TOKEN.test(name) || BAD_VALUE_CHAR.test(value)) return undefined
    record += `${name}: ${value}\n`
  }
  const body = page.body
  return `${record}\n${typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64")}`
}

/** The record of a Vary marker; `names` are tokens (lower-case header names). */
export function encodeVary(names: readonly string[]): string {
  return `vary ${names.join(",")}`
}

/** The page or marker a record holds, or undefined when it is neither (a miss). */
export function parseRecord(record: string): StoredPage | VaryMarker | undefined {
  if (record.startsWith("vary ")) {
    const names = record.slice(5).split(",")
    return names.every((n) => TOKEN.test(n)) ? Object.freeze({ kind: "vary", names }) : undefined
  }
  let end = record.indexOf("\n")
  const head = /^([1-5]\d\d) (text|base64)$/.exec(record.slice(0, end))
  if (end < 0 || head === null) return undefined
  const headers: [string, string][] = []
  let at = end + 1
  while (record.charCodeAt(at) !== 10) {
    end = record.indexOf("\n", at)
    const colon = record.indexOf(": ", at)
    if (end < 0 || colon < 0 || colon > end) return undefined
    headers.push([record.slice(at, colon), record.slice(colon + 2, end)])
    at = end + 1
  }
  const text = record.slice(at + 1)
  const body = head[2] === "text" ? text : new Uint8Array(Buffer.from(text, "base64"))
  return Object.freeze({
    kind: "page",
    status: Number(head[1]),
    headers: Object.freeze(headers),
    body,
  })
}
