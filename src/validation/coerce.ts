import type { StandardSchemaV1 } from "@standard-schema/spec"

/**
 * String coercion for query, params, headers, cookies and form fields, driven by the
 * schema's JSON Schema (Standard JSON Schema) when the validator exposes one.
 * @module
 */

/** A JSON Schema object, as far as coercion and OpenAPI read it. @internal */
export type JsonSchema = { [key: string]: unknown }

interface WithJsonSchema {
  readonly "~standard": {
    readonly jsonSchema?: {
      input(options: { target: string }): JsonSchema
      output(options: { target: string }): JsonSchema
    }
  }
}

/**
 * The JSON Schema (draft 2020-12) of a Standard Schema, or undefined when the validator
 * does not implement Standard JSON Schema or the schema cannot be represented.
 * @internal
 */
export function jsonSchemaOf(
  schema: StandardSchemaV1,
  io: "input" | "output",
): JsonSchema | undefined {
  const converter = (schema as WithJsonSchema)["~standard"].jsonSchema
  if (converter === undefined) return undefined
  try {
    return converter[io]({ target: "draft-2020-12" })
  } catch {
    return undefined
  }
}

/** How to turn one field's strings into values. */
interface FieldPlan {
  array: boolean
  types: Set<string>
}

/** A per-schema plan: which fields are arrays and which scalar types they take. @internal */
export type CoercePlan = Map<string, FieldPlan>

/** Builds the coercion plan of an object schema, keyed by lower-cased names when `lower`. */
export function coercePlan(schema: JsonSchema | undefined, lower = false): CoercePlan | undefined {
  if (schema === undefined) return undefined
  const props = resolve(schema, schema).properties
  if (typeof props !== "object" || props === null) return undefined
  const plan: CoercePlan = new Map()
  for (const [name, raw] of Object.entries(props as Record<string, JsonSchema>)) {
    const types = typesOf(raw, schema)
    if (types.has("array")) {
      const items = resolve(raw, schema).items
      plan.set(lower ? name.toLowerCase() : name, {
        array: true,
        types: items ? typesOf(items as JsonSchema, schema) : new Set(),
      })
    } else plan.set(lower ? name.toLowerCase() : name, { array: false, types })
  }
  return plan
}

function resolve(node: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = node.$ref
  if (typeof ref !== "string" || !ref.startsWith("#/")) return node
  let target: unknown = root
  for (const key of ref.slice(2).split("/")) target = (target as JsonSchema | undefined)?.[key]
  return typeof target === "object" && target !== null ? (target as JsonSchema) : node
}

function typesOf(node: JsonSchema, root: JsonSchema, out = new Set<string>()): Set<string> {
  const n = resolve(node, root)
  if (typeof n.type === "string") out.add(n.type)
  else if (Array.isArray(n.type)) for (const t of n.type) out.add(String(t))
  else if (typeof n.const === "number") out.add("number")
  else if (typeof n.const === "boolean") out.add("boolean")
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = n[key]
    if (Array.isArray(list)) for (const m of list) typesOf(m as JsonSchema, root, out)
  }
  return out
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** Coerces one string by the field's types; leaves it as is when it does not fit. */
export function coerceValue(value: unknown, types: Set<string>): unknown {
  if (typeof value !== "string" || types.has("string") || types.size === 0) return value
  if ((types.has("number") || types.has("integer")) && NUMERIC.test(value)) return Number(value)
  if (types.has("boolean")) {
    if (value === "true" || value === "1") return true
    if (value === "false" || value === "0") return false
  }
  if (types.has("null") && (value === "" || value === "null")) return null
  return value
}

/**
 * Turns multi-valued string input (query, form) into an object: arrays where the plan
 * says array (or, without a plan, where the key repeats), coerced scalars elsewhere.
 */
export function fromEntries(
  entries: Iterable<[string, unknown]>,
  plan: CoercePlan | undefined,
): Record<string, unknown> {
  // Null prototype: a key named __proto__, toString or constructor is plain data.
  const out: Record<string, unknown> = Object.create(null)
  for (const [key, value] of entries) {
    const field = plan?.get(key)
    const v = field ? coerceValue(value, field.types) : value
    const prev = out[key]
    if (field?.array) {
      if (Array.isArray(prev)) prev.push(v)
      else out[key] = [v]
    } else if (prev === undefined) out[key] = v
    else if (field === undefined) out[key] = Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}
