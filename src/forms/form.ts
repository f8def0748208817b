import type { StandardSchemaV1 } from "@standard-schema/spec"
import { Context, TrussRequest } from "../kit.js"
import { coerce, isEmptyFile, type JsonSchema } from "./coerce.js"
import { decodeFields, type Tree, type TreeValue } from "./decode.js"
import { formErrors } from "./errors.js"
import { checkFile, type FileRule } from "./files.js"
import {
  type FieldErrors,
  type FieldView,
  fieldErrors,
  fieldViews,
  mergeValues,
  skeleton,
} from "./state.js"

/**
 * A `truss/orm` model, seen by its shape so forms need not import the ORM.
 * @example
 * ```ts
 * import type { ModelLike } from "truss/forms"
 * import { field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const asForm: ModelLike = Tag
 * ```
 */
export interface ModelLike<C = unknown, U = unknown> {
  readonly createSchema: StandardSchemaV1<unknown, C>
  readonly updateSchema: StandardSchemaV1<unknown, U>
  jsonSchema(kind?: "row" | "create" | "update"): Record<string, unknown>
}

/**
 * Options for {@link form}.
 * @example
 * ```ts
 * import type { FormOptions } from "truss/forms"
 * const options: FormOptions = { exclude: ["role"], files: { cv: { types: ["application/pdf"] } } }
 * ```
 */
export interface FormOptions {
  /** The schema's input JSON Schema, when the schema cannot produce one itself. */
  jsonSchema?: JsonSchema
  /** Size and type limits by field path, e.g. `{ avatar: { maxSize: 1_000_000, types: ["image/*"] } }`. */
  files?: Record<string, FileRule>
  /** Field names never passed to the schema. @default ["_csrf"] */
  ignore?: readonly string[]
  /** For models: validate create input (all required fields) or update input. @default "create" */
  mode?: "create" | "update"
  /** Only these top-level fields are read from the body (an allow-list, like Django's `fields`). */
  fields?: readonly string[]
  /** Top-level fields never read from the body. @default ["id"] for models, [] otherwise */
  exclude?: readonly string[]
}

/**
 * What a template renders: values for every declared field, errors and field list.
 * @example
 * ```ts
 * import { type FormState, form } from "truss/forms"
 * import { z } from "zod"
 * const state: FormState = form(z.object({ title: z.string() })).initial({ title: "Draft" })
 * state.values.title // "Draft"
 * ```
 */
export interface FormState {
  /** The submitted (coerced) values over a blank value for every declared field. */
  readonly values: Record<string, unknown>
  /** Messages by dotted path; a field without errors reads as `[]`. */
  readonly errors: FieldErrors
  /** The declared top-level fields with their values and errors. */
  readonly fields: readonly FieldView[]
}

/**
 * The outcome of {@link Form.parse}: typed data, or errors and the values to show again.
 * @example
 * ```ts
 * import { type FormResult, form } from "truss/forms"
 * import { z } from "zod"
 * const result: FormResult<{ n: number }> = await form(z.object({ n: z.number() })).parse(new URLSearchParams("n=2"))
 * if (result.ok) result.data.n // 2
 * ```
 */
export type FormResult<T> =
  | (FormState & { readonly ok: true; readonly data: T })
  | (FormState & { readonly ok: false; readonly data: undefined })

/**
 * Where form fields come from: a context or request (its body), or fields already read.
 * @example
 * ```ts
 * import type { FormInput } from "truss/forms"
 * const fields: FormInput = new URLSearchParams("q=truss")
 * ```
 */
export type FormInput = Context | TrussRequest | FormData | URLSearchParams

function entriesOf(data: FormData | URLSearchParams): Iterable<[string, string | File]> {
  return data.entries() as Iterable<[string, string | File]>
}

function jsonSchemaOf(schema: StandardSchemaV1): JsonSchema | undefined {
  const converter = (schema["~standard"] as { jsonSchema?: { input?: (o: object) => JsonSchema } })
    .jsonSchema
  if (typeof converter?.input !== "function") return undefined
  try {
    // zod cannot express File or custom checks; "any" keeps the rest of the shape.
    return converter.input({ target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } })
  } catch {
    return undefined
  }
}

function pathOf(path: StandardSchemaV1.Issue["path"]): string {
  if (path === undefined || path.length === 0) return "_form"
  return path.map((p) => String(typeof p === "object" ? p.key : p)).join(".")
}

function at(tree: Tree, path: string): TreeValue | undefined {
  let node: TreeValue | undefined = tree
  for (const key of path.split(".")) {
    if (
      node === undefined ||
      typeof node !== "object" ||
      node instanceof File ||
      Array.isArray(node)
    ) {
      return undefined
    }
    node = node[key]
  }
  return node
}

/** Lists made of `{0: a, 1: b}` trees, for schemas that give no JSON Schema. */
function listify(value: unknown): unknown {
  if (value === null || typeof value !== "object" || value instanceof File) return value
  if (Array.isArray(value)) return value.map(listify)
  const entries = Object.entries(value)
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => listify(v))
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, listify(v)]))
}

/** Keeps the allowed top-level keys of a tree or of a JSON Schema's properties. */
function allowed(key: string, options: FormOptions): boolean {
  if (options.exclude?.includes(key)) return false
  return options.fields === undefined || options.fields.includes(key)
}

function pruneSchema(schema: JsonSchema, options: FormOptions): JsonSchema {
  if (options.fields === undefined && options.exclude === undefined) return schema
  const props = (schema.properties ?? {}) as Record<string, unknown>
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(props).filter(([k]) => allowed(k, options))),
    required: required.filter((k) => allowed(k, options)),
  }
}

/** Replaces files with undefined: a file input cannot be filled in again. */
function withoutFiles(value: unknown): unknown {
  if (value instanceof File) return undefined
  if (Array.isArray(value)) return value.filter((v) => !(v instanceof File)).map(withoutFiles)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutFiles(v)]))
}

/**
 * A form bound to a schema: parses request bodies into the schema's shape and
 * gives templates values and per-field errors. Make one with {@link form}.
 * @example
 * ```ts
 * import { type Form, form } from "truss/forms"
 * import { z } from "zod"
 * const search: Form<{ q: string }> = form(z.object({ q: z.string() }))
 * ```
 */
export class Form<T> {
  readonly #schema: StandardSchemaV1
  readonly #options: FormOptions
  readonly #ignore: ReadonlySet<string>
  #json: JsonSchema | undefined | null = null

  /** @internal Use `form(schema)`. */
  constructor(schema: StandardSchemaV1, options: FormOptions) {
    this.#schema = schema
    this.#options = options
    this.#ignore = new Set(options.ignore ?? ["_csrf"])
  }

  /** The input JSON Schema that drives coercion, or undefined when the schema has none. */
  get jsonSchema(): JsonSchema | undefined {
    if (this.#json === null) {
      const schema = this.#options.jsonSchema ?? jsonSchemaOf(this.#schema)
      this.#json = schema && pruneSchema(schema, this.#options)
    }
    return this.#json
  }

  /**
   * Reads the fields (urlencoded or multipart body, or fields given directly),
   * coerces them to the schema's types and validates them.
   * @throws TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE (415) when the body is not a form,
   * TRUSS_ERR_BODY_TOO_LARGE / TRUSS_ERR_MULTIPART_LIMIT (413).
   */
  async parse(input: FormInput): Promise<FormResult<T>> {
    const data =
      input instanceof Context
        ? await input.req.form()
        : input instanceof TrussRequest
          ? await input.form()
          : input
    const tree = decodeFields(entriesOf(data), this.#ignore)
    for (const key of Object.keys(tree)) if (!allowed(key, this.#options)) delete tree[key]
    const errors: Record<string, string[]> = {}
    for (const [path, rule] of Object.entries(this.#options.files ?? {})) {
      const value = at(tree, path)
      const files = (Array.isArray(value) ? value : [value]).filter((v) => v instanceof File)
      const problems = files.flatMap((file) => (isEmptyFile(file) ? [] : checkFile(file, rule)))
      if (problems.length > 0) errors[path] = problems
    }
    const schema = this.jsonSchema
    const values = schema === undefined ? listify(tree) : coerce(tree, schema, schema, true)
    const result = await this.#schema["~standard"].validate(values)
    for (const issue of result.issues ?? []) {
      const path = pathOf(issue.path)
      errors[path] = [...(errors[path] ?? []), issue.message]
    }
    const ok = Object.keys(errors).length === 0
    const state = this.#state(withoutFiles(values), errors)
    return ok && result.issues === undefined
      ? { ...state, ok: true, data: result.value as T }
      : { ...state, ok: false, data: undefined }
  }

  /**
   * The state of a form not yet submitted: blank values (or `values`, e.g. the row
   * being edited) and no errors.
   */
  initial(values: Record<string, unknown> = {}): FormState {
    return this.#state(values, {})
  }

  #state(values: unknown, errors: Record<string, string[]>): FormState {
    const schema = this.jsonSchema
    const merged = (
      schema === undefined ? values : mergeValues(skeleton(schema, schema), values)
    ) as Record<string, unknown>
    const wrapped = fieldErrors(errors)
    return {
      values: merged ?? {},
      errors: wrapped,
      fields: fieldViews(schema, merged ?? {}, wrapped),
    }
  }
}

type CreateOf<M> = M extends ModelLike<infer C> ? C : never
type UpdateOf<M> = M extends ModelLike<unknown, infer U> ? U : never

function isModel(value: unknown): value is ModelLike {
  return (
    value !== null &&
    typeof value === "object" &&
    "createSchema" in value &&
    typeof (value as ModelLike).jsonSchema === "function"
  )
}

/**
 * Binds a form to a Standard Schema (zod 4, valibot, arktype) or a `truss/orm`
 * model. `parse()` reads urlencoded and multipart bodies: repeated names become
 * arrays, `items[0].qty` and `address.city` nest, unchecked checkboxes are `false`,
 * numbers are read from text (all driven by the schema's JSON Schema), and files
 * are checked against `files` limits. The result is `{ ok: true, data }` typed as
 * the schema's output, or `{ ok: false, errors, values }` to render again.
 *
 * @param schema - A Standard Schema, or a model (its create or update schema).
 * @param options - `files` limits, `fields`/`exclude`, `jsonSchema`, `ignore`, `mode` for models.
 * @throws TRUSS_ERR_FORM_SCHEMA_INVALID when `schema` is neither.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { form } from "truss/forms"
 * import { z } from "zod"
 * const signup = form(z.object({ email: z.email(), age: z.number().int().min(18), terms: z.literal(true) }))
 * const app = new App()
 * app.post("/signup", async (c) => {
 *   const result = await signup.parse(c)
 *   if (!result.ok) return c.json({ errors: result.errors }, 422)
 *   return c.json({ welcome: result.data.email }, 201)
 * })
 * ```
 */
export function form<M extends ModelLike>(
  model: M,
  options: FormOptions & { mode: "update" },
): Form<UpdateOf<M>>
export function form<M extends ModelLike>(
  model: M,
  options?: FormOptions & { mode?: "create" },
): Form<CreateOf<M>>
export function form<S extends StandardSchemaV1>(
  schema: S,
  options?: FormOptions,
): Form<StandardSchemaV1.InferOutput<S>>
export function form(
  schema: StandardSchemaV1 | ModelLike,
  options: FormOptions = {},
): Form<unknown> {
  if (isModel(schema)) {
    const mode = options.mode ?? "create"
    const standard = mode === "update" ? schema.updateSchema : schema.createSchema
    return new Form(standard, { jsonSchema: schema.jsonSchema(mode), exclude: ["id"], ...options })
  }
  const standard = (schema as Partial<StandardSchemaV1> | null)?.["~standard"]
  if (typeof standard?.validate !== "function") throw formErrors.FORM_SCHEMA_INVALID()
  return new Form(schema, options)
}
