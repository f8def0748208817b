import { errors } from "../errors.js"

/** One parsed piece of a route path. */
export type PathToken =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string; pattern: RegExp | undefined; optional: boolean }
  | { kind: "wildcard" }

const PARAM_NAME = /^:([A-Za-z_$][\w$]*)/

/** The end index (exclusive) of the balanced `(...)` group opening at `start`, or -1. */
function groupEnd(text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (ch === "\\") i++
    else if (ch === "(") depth++
    else if (ch === ")" && --depth === 0) return i + 1
  }
  return -1
}

/** Reads `:name`, an optional `(constraint)` with nested groups, and an optional `?`. */
function readParam(path: string, rest: string): { token: PathToken; length: number } | null {
  const m = PARAM_NAME.exec(rest)
  if (!m) return null
  const name = m[1]!
  let length = m[0].length
  let pattern: RegExp | undefined
  if (rest[length] === "(") {
    const end = groupEnd(rest, length)
    if (end === -1)
      throw errors.ROUTE_PATH_INVALID({
        path,
        reason: `the constraint of :${name} has no closing )`,
      })
    const source = rest.slice(length + 1, end - 1)
    try {
      pattern = new RegExp(`^(?:${source})$`)
    } catch (cause) {
      throw errors.ROUTE_PATH_INVALID(
        {
          path,
          reason: `the constraint of :${name} is not a valid regular expression (${(cause as Error).message})`,
        },
        { cause },
      )
    }
    length = end
  }
  const optional = rest[length] === "?"
  if (optional) length++
  return { token: { kind: "param", name, pattern, optional }, length }
}

/**
 * Splits a Truss route path into tokens. Syntax: `:name`, `:name?` (optional, last),
 * `:name(regex)` (constraint, anchored to the whole param), and a trailing `*`.
 * @throws TRUSS_ERR_ROUTE_PATH_INVALID for a malformed path.
 */
export function parsePath(path: string): PathToken[] {
  if (!path.startsWith("/"))
    throw errors.ROUTE_PATH_INVALID({ path, reason: "it must start with /" })
  const tokens: PathToken[] = []
  let rest = path
  let text = ""
  while (rest.length > 0) {
    const param = rest[0] === ":" ? readParam(path, rest) : null
    if (param) {
      if (text) tokens.push({ kind: "static", value: text })
      text = ""
      tokens.push(param.token)
      rest = rest.slice(param.length)
    } else if (rest[0] === "*") {
      if (rest.length !== 1) throw errors.ROUTE_PATH_INVALID({ path, reason: "* must be last" })
      if (text) tokens.push({ kind: "static", value: text })
      text = ""
      tokens.push({ kind: "wildcard" })
      rest = ""
    } else {
      text += rest[0]
      rest = rest.slice(1)
    }
  }
  if (text) tokens.push({ kind: "static", value: text })
  const optional = tokens.findIndex((t) => t.kind === "param" && t.optional)
  if (optional !== -1 && optional !== tokens.length - 1) {
    throw errors.ROUTE_PATH_INVALID({ path, reason: "an optional :param? must be last" })
  }
  return tokens
}

const SEPARATORS = ["/", ".", "-"]

/**
 * A trailing optional param as two paths, with and without it. Routers register
 * both (find-my-way's own `:x?` ignores a constraint); the app checks both for conflicts.
 */
export function expandOptional(tokens: PathToken[]): PathToken[][] {
  const last = tokens.at(-1)
  if (last?.kind !== "param" || !last.optional) return [tokens]
  const without = tokens.slice(0, -1)
  const tail = without.at(-1)
  // The separator before the param goes too: `/v/:major.:minor?` also matches `/v/1`.
  if (tail?.kind === "static" && SEPARATORS.includes(tail.value.at(-1)!)) {
    const value = tail.value.slice(0, -1)
    if (value) without[without.length - 1] = { kind: "static", value }
    else without.pop()
  }
  if (without.length === 0) without.push({ kind: "static", value: "/" })
  return [without, [...tokens.slice(0, -1), { ...last, optional: false }]]
}

/** Rewrites Truss path syntax into find-my-way's (anchored constraint regexes). */
export function toRouterPath(tokens: PathToken[]): string {
  let out = ""
  for (const t of tokens) {
    if (t.kind === "static") out += t.value.replace(/:/g, "::")
    else if (t.kind === "wildcard") out += "*"
    else {
      out += `:${t.name}`
      if (t.pattern) out += `(${t.pattern.source})`
      if (t.optional) out += "?"
    }
  }
  return out
}

/**
 * Values accepted when building a URL.
 * @example
 * ```ts
 * import { App, type UrlParams } from "truss"
 * const app = new App().get("/users/:id", { name: "user" }, (c) => c.params.id)
 * const params: UrlParams = { id: 7 }
 * app.url("user", params) // "/users/7"
 * ```
 */
export type UrlParams = Record<string, string | number | bigint | boolean | undefined>

/**
 * Query values accepted when building a URL; arrays repeat the key.
 * @example
 * ```ts
 * import { App, type UrlQuery } from "truss"
 * const app = new App().get("/search", { name: "search" }, () => "results")
 * const query: UrlQuery = { q: "truss", tag: ["a", "b"], page: undefined }
 * app.url("search", {}, { query }) // "/search?q=truss&tag=a&tag=b"
 * ```
 */
export type UrlQuery = Record<
  string,
  string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>
>

/**
 * Fills a parsed path with params, percent-encoding each value. The wildcard keeps
 * its `/` separators. Values are checked against constraints.
 */
export function buildPath(name: string, tokens: PathToken[], params: UrlParams = {}): string {
  let out = ""
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind === "static") {
      out += t.value
      continue
    }
    const key = t.kind === "wildcard" ? "*" : t.name
    const raw = params[key]
    if (raw === undefined || raw === "") {
      if (t.kind === "param" && !t.optional) throw errors.URL_PARAM_MISSING({ name, param: key })
      // An omitted optional param takes its separator with it: `/posts/:page?` → `/posts`.
      if (t.kind === "param" && out.length > 1 && /[/.-]$/.test(out)) out = out.slice(0, -1)
      continue
    }
    const value = String(raw)
    if (t.kind === "wildcard") {
      const segments = value.split("/")
      if (segments.some(isDotSegment))
        throw errors.URL_PARAM_DOT_SEGMENT({ name, param: key, value })
      out += segments.map(encodeURIComponent).join("/")
    } else {
      if (isDotSegment(value) && wholeSegment(out, tokens[i + 1])) {
        throw errors.URL_PARAM_DOT_SEGMENT({ name, param: key, value })
      }
      if (t.pattern && !t.pattern.test(value)) {
        throw errors.URL_PARAM_INVALID({ name, param: key, value, pattern: t.pattern.source })
      }
      out += encodeURIComponent(value)
    }
  }
  return out
}

/**
 * Whether a raw request path holds percent-encoding that cannot be decoded (`%zz`, a
 * truncated escape, bytes that are not UTF-8). Such a path matches no route; the app
 * asks only after nothing matched, so routed requests never pay for the check.
 */
export function malformedPath(path: string): boolean {
  if (!path.includes("%")) return false
  try {
    decodeURIComponent(path)
    return false
  } catch {
    return true
  }
}

/** `.` and `..`: URL parsers resolve them (even spelled `%2e`), so they cannot round-trip. */
function isDotSegment(segment: string): boolean {
  return segment === "." || segment === ".."
}

/** Whether a param placed after `before` fills a whole path segment (`/a/:x/b`, not `/:x.json`). */
function wholeSegment(before: string, next: PathToken | undefined): boolean {
  if (!before.endsWith("/")) return false
  return next === undefined || (next.kind === "static" && next.value.startsWith("/"))
}

/** Serializes a query object; `undefined` and `null` values are left out. */
export function buildQuery(query: UrlQuery | undefined): string {
  if (!query) return ""
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v))
    else search.append(key, String(value))
  }
  const s = search.toString()
  return s ? `?${s}` : ""
}
