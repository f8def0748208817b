/**
 * A content coding Truss can produce: Brotli or gzip.
 * @example
 * ```ts
 * import { compress, type Encoding } from "truss"
 * const only: Encoding[] = ["br"]
 * const middleware = compress({ encodings: only })
 * ```
 */
export type Encoding = "br" | "gzip"

/**
 * The encodings from `supported` that an `Accept-Encoding` header allows, best first.
 * Higher q-values win; on a tie the order of `supported` decides (so `br` before
 * `gzip` by default). `q=0` refuses an encoding, `*` covers the ones not named, and
 * `x-gzip` counts as `gzip`. A missing header allows nothing: send identity.
 *
 * @example `acceptedEncodings("gzip, br;q=0.5", ["br", "gzip"])` is `["gzip", "br"]`;
 * `acceptedEncodings("gzip;q=0, *", ["br", "gzip"])` is `["br"]`.
 */
export function acceptedEncodings(
  header: string | undefined,
  supported: readonly Encoding[],
): Encoding[] {
  if (!header) return []
  const q = new Map<string, number>()
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.split(";")
    let name = rawName!.trim().toLowerCase()
    if (name === "") continue
    if (name === "x-gzip") name = "gzip"
    let weight = 1
    for (const param of params) {
      const [key, value] = param.split("=")
      if (key?.trim().toLowerCase() === "q") {
        const n = Number(value?.trim())
        weight = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 0
      }
    }
    // A name listed twice keeps its first weight, as most servers do.
    if (!q.has(name)) q.set(name, weight)
  }
  const star = q.get("*")
  const ranked: { encoding: Encoding; weight: number; order: number }[] = []
  supported.forEach((encoding, order) => {
    const weight = q.get(encoding) ?? star ?? 0
    if (weight > 0) ranked.push({ encoding, weight, order })
  })
  ranked.sort((a, b) => b.weight - a.weight || a.order - b.order)
  return ranked.map((r) => r.encoding)
}

/** Adds `Accept-Encoding` to a `Vary` header value unless it (or `*`) is already there. */
export function varyOnEncoding(current: string | string[] | undefined): string {
  const value = Array.isArray(current) ? current.join(", ") : (current ?? "")
  if (value === "") return "Accept-Encoding"
  const names = value.split(",").map((v) => v.trim().toLowerCase())
  if (names.includes("accept-encoding") || names.includes("*")) return value
  return `${value}, Accept-Encoding`
}
