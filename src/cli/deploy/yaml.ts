/**
 * A small YAML emitter for the files `truss deploy init` writes: block maps and lists
 * of strings, numbers, booleans and null. Every string is double-quoted in JSON syntax
 * (a subset of YAML), so `"yes"`, `"3000:3000"` or `"${VAR}"` never change type.
 * @module
 */

/** A value the emitter writes. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue }

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/

function scalar(v: string | number | boolean | null): string {
  if (v === null) return "null"
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`YAML: ${v} is not a finite number`)
    return String(v)
  }
  return typeof v === "boolean" ? String(v) : JSON.stringify(v)
}

const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k))

const isEmpty = (v: YamlValue) =>
  typeof v === "object" &&
  v !== null &&
  (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)

function lines(value: YamlValue, indent: string): string[] {
  if (typeof value !== "object" || value === null) return [indent + scalar(value)]
  if (Array.isArray(value)) {
    return value.flatMap((item: YamlValue) => {
      if (typeof item !== "object" || item === null || isEmpty(item)) {
        return [
          `${indent}- ${isEmpty(item) ? (Array.isArray(item) ? "[]" : "{}") : scalar(item as string)}`,
        ]
      }
      const [first, ...rest] = lines(item, `${indent}  `)
      return [`${indent}- ${first!.slice(indent.length + 2)}`, ...rest]
    })
  }
  return Object.entries(value as Record<string, YamlValue>).flatMap(([k, v]) => {
    if (typeof v !== "object" || v === null) return [`${indent}${key(k)}: ${scalar(v)}`]
    if (isEmpty(v)) return [`${indent}${key(k)}: ${Array.isArray(v) ? "[]" : "{}"}`]
    return [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)]
  })
}

/**
 * The YAML text of `value` (a document ending in a newline).
 * @example
 * ```ts
 * // toYaml({ services: { app: { ports: ["3000:3000"] } } })
 * // → 'services:\n  app:\n    ports:\n      - "3000:3000"\n'
 * ```
 */
export function toYaml(value: YamlValue): string {
  return `${lines(value, "").join("\n")}\n`
}
