/**
 * Coerces decoded form fields to the types a JSON Schema asks for: numbers from
 * text, booleans from checkboxes (absent → false), arrays from repeated names or
 * `items[0]` keys, empty text to "absent" (or null when the field is nullable).
 * @module
 */
import type { Tree, TreeValue } from "./decode.js"

/**
 * A JSON Schema document or subschema.
 * @example
 * ```ts
 * import type { JsonSchema } from "truss/forms"
 * const schema: JsonSchema = { type: "object", properties: { age: { type: "integer" } } }
 * ```
 */
export type JsonSchema = { [key: string]: unknown }

const TRUE = new Set(["on", "true", "1", "yes"])
const FALSE = new Set(["off", "false", "0", "no", ""])
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

/** What one subschema says about a field. @internal */
export interface Shape {
  schema: JsonSchema
  type: string | undefined
  nullable: boolean
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === "object" && !Array.isArray(value)
}

/** Follows a local `$ref` (`#/$defs/X`, `#/definitions/X`). */
function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema
  for (let hops = 0; typeof current.$ref === "string" && hops < 16; hops++) {
    let target: unknown = root
    for (const part of current.$ref.replace(/^#\/?/, "").split("/")) {
      if (part === "") continue
      target = isObject(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined
    }
    if (!isObject(target)) return {}
    current = target
  }
  return current
}

/** Reduces unions to the first non-null branch and notes whether null is allowed. */
export function shapeOf(schema: unknown, root: JsonSchema): Shape {
  const s = isObject(schema) ? deref(schema, root) : {}
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined
  if (Array.isArray(union)) {
    const branches = union.map((b) => shapeOf(b, root))
    const main = branches.find((b) => b.type !== "null") ?? {
      schema: {},
      type: undefined,
      nullable: false,
    }
    return { ...main, nullable: main.nullable || branches.some((b) => b.type === "null") }
  }
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t): t is string => typeof t === "string")
    return { schema: s, type: types.find((t) => t !== "null"), nullable: types.includes("null") }
  }
  const type = typeof s.type === "string" ? s.type : isObject(s.properties) ? "object" : undefined
  return { schema: s, type, nullable: type === "null" }
}

function isTree(value: unknown): value is Tree {
  return isObject(value) && !(value instanceof File)
}

function last(value: TreeValue): TreeValue {
  return Array.isArray(value) ? (value[value.length - 1] ?? "") : value
}

/** `{ "1": b, "0": a }` → `[a, b]`; other values become one-item lists. */
function toList(value: TreeValue | undefined): TreeValue[] {
  if (value === undefined) return []
  if (Array.isArray(value)) return value
  if (!isTree(value)) return [value]
  return Object.keys(value)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => value[k]!)
}

/** An empty file input still sends a part: zero bytes, no usable name. */
export function isEmptyFile(value: unknown): boolean {
  return value instanceof File && value.size === 0
}

/**
 * Coerces one value. Returns `undefined` for "absent" (dropped from the object).
 * @param required - whether the parent lists the field as required.
 */
export function coerce(
  value: TreeValue | undefined,
  schema: unknown,
  root: JsonSchema,
  required: boolean,
): unknown {
  const shape = shapeOf(schema, root)
  if (isEmptyFile(value)) return shape.nullable ? null : undefined
  switch (shape.type) {
    case "object":
      return coerceObject(value, shape.schema, root, required)
    case "array": {
      const items = shape.schema.items ?? {}
      return toList(value).map((item) => coerce(item, items, root, true))
    }
    case "boolean": {
      if (value === undefined) return false
      const v = last(value)
      if (typeof v !== "string") return v
      const text = v.trim().toLowerCase()
      return TRUE.has(text) ? true : FALSE.has(text) ? false : v
    }
    case "number":
    case "integer":
    case "string": {
      if (value === undefined) return undefined
      const v = last(value)
      if (typeof v !== "string") return v
      if (v.trim() === "")
        return shape.nullable ? null : required && shape.type === "string" ? v : undefined
      if (shape.type === "string") return v
      return NUMBER.test(v.trim()) ? Number(v) : v
    }
    default:
      return value
  }
}

function coerceObject(
  value: TreeValue | undefined,
  schema: JsonSchema,
  root: JsonSchema,
  required: boolean,
): unknown {
  if (value !== undefined && !isTree(value)) return value
  const source: Tree = value ?? {}
  const properties = isObject(schema.properties) ? schema.properties : {}
  const requiredKeys = new Set(Array.isArray(schema.required) ? schema.required : [])
  const out: Record<string, unknown> = {}
  for (const [key, sub] of Object.entries(properties)) {
    const coerced = coerce(source[key], sub, root, requiredKeys.has(key))
    if (coerced !== undefined) out[key] = coerced
  }
  // Only declared fields pass, like Django forms, unless the schema takes any key.
  const extra = schema.additionalProperties
  if (isObject(extra) || (Object.keys(properties).length === 0 && extra !== false)) {
    for (const [key, v] of Object.entries(source)) {
      if (!Object.hasOwn(properties, key))
        out[key] = isObject(extra) ? coerce(v, extra, root, false) : v
    }
  }
  if (
    value === undefined &&
    !required &&
    Object.values(out).every((v) => v === false || (Array.isArray(v) && v.length === 0))
  ) {
    return undefined
  }
  return out
}
