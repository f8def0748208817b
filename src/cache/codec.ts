/**
 * Tagged JSON: plain JSON, except that a Date, a Uint8Array or a Buffer becomes a
 * one-key object `{ "$t:date": iso }` / `{ "$t:bin": base64 }`, and an object whose
 * only key already starts with `$t:` is escaped as `{ "$t:obj": value }`, so every
 * value round-trips exactly through a store that keeps strings.
 */
const TAG = "$t:"

function tag(value: unknown): unknown {
  if (value instanceof Date) return { [`${TAG}date`]: value.toISOString() }
  if (value instanceof Uint8Array) {
    return {
      [`${TAG}bin`]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString(
        "base64",
      ),
    }
  }
  if (Array.isArray(value)) return value.map(tag)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = tag(v)
    const keys = Object.keys(out)
    if (keys.length === 1 && keys[0]?.startsWith(TAG)) return { [`${TAG}obj`]: out }
    return out
  }
  return value
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag)
  if (value === null || typeof value !== "object") return value
  const entries = Object.entries(value)
  const [first] = entries
  if (entries.length === 1 && first !== undefined && first[0].startsWith(TAG)) {
    const [k, v] = first
    if (k === `${TAG}date`) return new Date(v as string)
    if (k === `${TAG}bin`) return new Uint8Array(Buffer.from(v as string, "base64"))
    if (k === `${TAG}obj`) {
      const inner: Record<string, unknown> = {}
      for (const [ik, iv] of Object.entries(v as object)) inner[ik] = untag(iv)
      return inner
    }
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) out[k] = untag(v)
  return out
}

/** Encodes a value to tagged JSON; throws on values JSON cannot hold. */
export function encode(value: unknown): string {
  return JSON.stringify(tag(value))
}

/** Decodes tagged JSON back to the value, Dates and bytes included. */
export function decode(json: string): unknown {
  const value: unknown = JSON.parse(json)
  // Every tag is a key starting with "$t:": without one there is nothing to walk.
  return json.includes('"$t:') ? untag(value) : value
}
