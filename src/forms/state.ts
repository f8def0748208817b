/**
 * What templates render: values for every declared field (so strict templates can
 * read them) and per-field errors that read as an empty list when a field has none.
 * @module
 */
import { type JsonSchema, shapeOf } from "./coerce.js"

/**
 * Error messages by dotted field path (`"items.0.qty"`); `"_form"` holds form-wide ones.
 * @example
 * ```ts
 * import type { FieldErrors } from "truss/forms"
 * const errors: FieldErrors = { title: ["Enter a title."], "items.0.qty": ["Too small."] }
 * ```
 */
export type FieldErrors = { readonly [path: string]: readonly string[] }

/**
 * One declared top-level field, for generic form templates.
 * @example
 * ```ts
 * import { form } from "truss/forms"
 * import { z } from "zod"
 * const [title] = form(z.object({ title: z.string() })).initial().fields
 * title?.input // "text"
 * ```
 */
export interface FieldView {
  name: string
  /** An HTML input type: `text`, `number`, `checkbox`, `email`, `date`, `file`, `select` … */
  input: string
  label: string
  required: boolean
  /** Allowed values for `select` inputs. */
  choices: readonly unknown[]
  value: unknown
  errors: readonly string[]
}

const NONE: readonly string[] = Object.freeze([])

/** Keys tools probe on any object (`then`, `toJSON`, `@@…`, `$$typeof` …) are not fields. */
const PROBES = new Set([
  "then",
  "toJSON",
  "asymmetricMatch",
  "nodeType",
  "constructor",
  "valueOf",
  "toString",
])

function isFieldKey(key: string | symbol): key is string {
  return typeof key === "string" && !PROBES.has(key) && !/^(?:@@|\$\$|__)/.test(key)
}

/**
 * Wraps error lists so any field without errors reads as `[]` (templates loop over
 * `form.errors.title` without checking). Own keys stay only the failing fields.
 */
export function fieldErrors(errors: Record<string, string[]>): FieldErrors {
  return new Proxy(errors, {
    get(target, key) {
      if (!isFieldKey(key) || Object.hasOwn(target, key)) return Reflect.get(target, key)
      return NONE
    },
    getOwnPropertyDescriptor(target, key) {
      const own = Reflect.getOwnPropertyDescriptor(target, key)
      if (own !== undefined || !isFieldKey(key)) return own
      // Configurable, so the proxy stays consistent with its (plain) target.
      return { value: NONE, writable: false, enumerable: false, configurable: true }
    },
  })
}

/** A value for each declared field: "" for text, false for booleans, [] for lists. */
export function skeleton(schema: unknown, root: JsonSchema): unknown {
  const shape = shapeOf(schema, root)
  switch (shape.type) {
    case "object": {
      const out: Record<string, unknown> = {}
      const props = (shape.schema.properties ?? {}) as Record<string, unknown>
      for (const [key, sub] of Object.entries(props)) out[key] = skeleton(sub, root)
      return out
    }
    case "array":
      return []
    case "boolean":
      return shape.schema.default ?? false
    default:
      return shape.schema.default ?? ""
  }
}

/** Deep-merges submitted values over the skeleton. */
export function mergeValues(base: unknown, values: unknown): unknown {
  if (values === undefined) return base
  if (isPlain(base) && isPlain(values)) {
    const out: Record<string, unknown> = { ...base }
    for (const [k, v] of Object.entries(values)) out[k] = mergeValues(base[k], v)
    return out
  }
  return values
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof File)
}

const FORMATS: Record<string, string> = {
  email: "email",
  uri: "url",
  date: "date",
  "date-time": "datetime-local",
  time: "time",
  binary: "file",
}

/** The top-level fields of an object schema, with values and errors. */
export function fieldViews(
  schema: JsonSchema | undefined,
  values: Record<string, unknown>,
  errors: FieldErrors,
): FieldView[] {
  if (schema === undefined) return []
  const root = shapeOf(schema, schema).schema
  const props = (root.properties ?? {}) as Record<string, unknown>
  const required = new Set(Array.isArray(root.required) ? root.required : [])
  return Object.entries(props).map(([name, sub]) => {
    const shape = shapeOf(sub, schema)
    const s = shape.schema
    const choices = Array.isArray(s.enum) ? s.enum : []
    const format = typeof s.format === "string" ? FORMATS[s.format] : undefined
    const input =
      choices.length > 0
        ? "select"
        : shape.type === "boolean"
          ? "checkbox"
          : shape.type === "number" || shape.type === "integer"
            ? "number"
            : (format ?? "text")
    return {
      name,
      input,
      label: typeof s.title === "string" ? s.title : labelOf(name),
      required: required.has(name),
      choices,
      value: values[name],
      errors: errors[name] ?? NONE,
    }
  })
}

/** `createdAt` → "Created at", `first_name` → "First name". */
function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
