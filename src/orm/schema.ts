/**
 * Validation of create and update input (Standard Schema v1) and JSON Schema output.
 * @module
 */

import type { ColumnMeta } from "./meta.js"
import type { AnyModel } from "./model.js"
import { Expression } from "./query/expressions.js"
import { checkValue, Invalid } from "./validate-value.js"

/**
 * The Standard Schema v1 interface (https://standardschema.dev).
 * @example
 * ```ts
 * import { type StandardSchemaV1, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const schema: StandardSchemaV1 = Tag.createSchema // accepted by any Standard Schema consumer
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
    /**
     * Standard JSON Schema: the input and output as JSON Schema 2020-12, which is how
     * `truss/schema` puts a model's input into OpenAPI when a route validates with it.
     */
    readonly jsonSchema?: {
      readonly input: (options: { readonly target: string }) => JsonSchema
      readonly output: (options: { readonly target: string }) => JsonSchema
    }
  }
}

/**
 * One validation problem, with the path of the offending field.
 * @example
 * ```ts
 * import { type StandardIssue, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const result = await Tag.createSchema["~standard"].validate({})
 * const issues: readonly StandardIssue[] = result.issues ?? [] // [{ message: "This field is required.", path: ["name"] }]
 * ```
 */
export interface StandardIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey>
}

/**
 * The result of a Standard Schema validation.
 * @example
 * ```ts
 * import { type StandardResult, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const result: StandardResult<unknown> = await Tag.createSchema["~standard"].validate({ name: "ts" })
 * ```
 */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> }

/** A JSON Schema document.
 * @example
 * ```ts
 * import { type JsonSchema, field, model } from "truss/orm"
 * const schema: JsonSchema = model("tag", { name: field.string() }).jsonSchema("create")
 * ```
 */
export type JsonSchema = { [key: string]: unknown }

/**
 * Validates create or update input against a model; returns the cleaned values
 * (ISO strings become Dates) or field-level issues.
 */
export function validateInput(
  m: AnyModel,
  input: unknown,
  mode: "create" | "update",
): StandardResult<Record<string, unknown>> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { issues: [{ message: "Expected an object." }] }
  }
  const meta = m.meta
  const source = input as Record<string, unknown>
  const issues: StandardIssue[] = []
  const out: Record<string, unknown> = {}
  for (const key in source) {
    if (meta.findColumn(key)?.key !== key)
      issues.push({ message: `Unknown field "${key}".`, path: [key] })
  }
  for (const col of meta.columns) {
    const value = source[col.key]
    if (value === undefined) {
      if (mode === "create" && isRequired(col)) {
        issues.push({ message: "This field is required.", path: [col.key] })
      }
      continue
    }
    if (value instanceof Expression) {
      out[col.key] = value
      continue
    }
    const checked = checkValue(col, value)
    if (checked instanceof Invalid) {
      issues.push({ message: checked.error, path: [col.key] })
    } else out[col.key] = checked
  }
  return issues.length > 0 ? { issues } : { value: out }
}

function isRequired(col: ColumnMeta): boolean {
  if (col.primaryKey || col.nullable) return false
  const o = col.options
  return o.default === undefined && !o.autoNow
}

/** Builds the Standard Schema of a model's create or update input. */
export function modelSchema(m: AnyModel, mode: "create" | "update"): StandardSchemaV1 {
  return Object.freeze({
    "~standard": Object.freeze({
      version: 1 as const,
      vendor: "truss",
      validate: (value: unknown) => validateInput(m, value, mode),
      jsonSchema: Object.freeze({
        input: () => modelJsonSchema(m, mode),
        output: () => modelJsonSchema(m, mode),
      }),
    }),
  })
}

function columnSchema(col: ColumnMeta): JsonSchema {
  const o = col.options
  const s: JsonSchema = {}
  switch (col.kind) {
    case "id":
    case "integer":
    case "bigint":
      s.type = "integer"
      break
    case "float":
      s.type = "number"
      break
    case "boolean":
      s.type = "boolean"
      break
    case "json":
      break
    case "enum":
      s.type = "string"
      s.enum = [...(o.choices ?? [])]
      break
    default:
      s.type = "string"
  }
  const formats: Partial<Record<string, string>> = {
    email: "email",
    url: "uri",
    uuid: "uuid",
    uuidId: "uuid",
    date: "date",
    datetime: "date-time",
    time: "time",
  }
  const format = formats[col.kind]
  if (format) s.format = format
  if (col.kind === "binary") s.contentEncoding = "base64"
  if (col.kind === "decimal") s.pattern = "^-?\\d+(\\.\\d+)?$"
  if (typeof o.max === "number" && ["string", "email", "url", "slug"].includes(col.kind)) {
    s.maxLength = o.max
  }
  if (o.label) s.title = o.label
  if (o.help) s.description = o.help
  if (col.nullable && typeof s.type === "string") s.type = [s.type, "null"]
  return s
}

/** Builds the JSON Schema (2020-12) of a model's rows, create input or update input. */
export function modelJsonSchema(m: AnyModel, kind: "row" | "create" | "update"): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const col of m.meta.columns) {
    properties[col.key] = columnSchema(col)
    if (kind === "row" || (kind === "create" && isRequired(col))) required.push(col.key)
  }
  const title = kind === "row" ? m.name : `${m.name}.${kind}`
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title,
    type: "object",
    properties,
    required,
    additionalProperties: false,
  }
}
