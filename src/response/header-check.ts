import { errors } from "../errors.js"

// RFC 9110: a field name is a token; a value is HTAB, SP, VCHAR or obs-text (0x80-0xFF).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/
// What a Location may not carry: control characters (matching them is the point).
// biome-ignore lint/suspicious/noControlCharactersInRegex: refuses CR, LF, NUL and the rest
const CONTROL = /[\x00-\x1f\x7f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "not ASCII"
const NON_ASCII = /[^\x00-\x7f]+/g

/**
 * Throws TRUSS_ERR_HEADER_INVALID unless `name: value` can go on the wire as it is,
 * so a handler that echoes request input into a header fails at the call, with a code,
 * instead of when node writes the response.
 */
export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw errors.HEADER_INVALID({ name, reason: "is not a valid header name" })
  const bad = BAD_VALUE_CHAR.exec(value)
  if (bad !== null) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
    throw errors.HEADER_INVALID({ name, reason: `holds U+${code} at index ${bad.index}` })
  }
}

/**
 * A redirect target ready for the Location header: characters above ASCII are
 * percent-encoded as UTF-8 (browsers decode them back); control characters (CR, LF…)
 * are refused, since no URL holds them and they would split the response.
 */
export function locationValue(location: string): string {
  if (CONTROL.test(location)) {
    throw errors.HEADER_INVALID({
      name: "location",
      reason: "holds a control character (CR, LF or NUL)",
    })
  }
  return location.replace(NON_ASCII, encodeURIComponent)
}
