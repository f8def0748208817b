import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { RouteDescription } from "../kit.js"
import { Components, type SchemaObject } from "./components.js"

/**
 * Options for {@link openapi}.
 * @example
 * ```ts
 * import type { OpenApiOptions } from "truss/schema"
 * const options: OpenApiOptions = {
 *   info: { title: "Notes", version: "1.0.0" },
 *   components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
 *   security: [{ bearer: [] }],
 * }
 * ```
 */
export interface OpenApiOptions {
  /** The document's `info`. @default { title: "API", version: "0.0.0" } */
  info?: { title: string; version: string; description?: string; [key: string]: unknown }
  /** The `servers` list, e.g. `[{ url: "https://api.example.com" }]`. */
  servers?: readonly { url: string; description?: string }[]
  /** Global security requirements, e.g. `[{ bearer: [] }]`. */
  security?: readonly Record<string, readonly string[]>[]
  /** Extra components: `securitySchemes`, hand-written `schemas`, … */
  components?: { securitySchemes?: Record<string, SchemaObject>; [key: string]: unknown }
  /** Top-level tags with descriptions. */
  tags?: readonly { name: string; description?: string }[]
  /**
   * Routes to leave out, such as HTML pages and form posts that are no API:
   * `exclude: (route) => route.path.startsWith("/tasks")`. Truss's own routes are always left out.
   */
  exclude?: (route: RouteDescription) => boolean
}

/**
 * What {@link openapi} reads from an app: its route table.
 * @example
 * ```ts
 * import { App } from "truss"
 * import type { RouteSource } from "truss/schema"
 * const source: RouteSource = new App()
 * ```
 */
export interface RouteSource {
  routeTable(): readonly RouteDescription[]
}

/**
 * The name under which the validation problem is documented.
 * @example
 * ```ts
 * import { VALIDATION_PROBLEM } from "truss/schema"
 * const ref = `#/components/schemas/${VALIDATION_PROBLEM}`
 * ```
 */
export const VALIDATION_PROBLEM = "TrussValidationProblem"

const PROBLEM: SchemaObject = {
  type: "object",
  description: "RFC 9457 problem details with one entry per failing field (TRUSS_ERR_VALIDATION).",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer", const: 422 },
    code: { type: "string", const: "TRUSS_ERR_VALIDATION" },
    detail: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: {
          in: { type: "string", enum: ["params", "query", "headers", "cookies", "body"] },
          path: { type: "string" },
          message: { type: "string" },
          code: { type: "string" },
        },
        required: ["in", "path", "message", "code"],
      },
    },
  },
  required: ["type", "title", "status", "code", "detail", "errors"],
}

const EXPAND_ALL = ["get", "post", "put", "patch", "delete", "options"]

/**
 * Builds the OpenAPI 3.1 document of every route: blueprint prefixes included, path
 * params in `{id}` form, named schemas in `components.schemas` reused by `$ref`.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { openapi } from "truss/schema"
 * import { z } from "zod"
 * const Note = z.object({ id: z.string(), text: z.string() }).meta({ id: "Note" })
 * const app = new App().get("/notes/:id", { response: { 200: Note } }, (c) => ({ id: c.params.id, text: "" }))
 * const doc = openapi(app, { info: { title: "Notes", version: "1.0.0" } })
 * doc.paths["/notes/{id}"] // { get: { … } }
 * ```
 */
export function openapi(app: RouteSource, options: OpenApiOptions = {}): OpenApiDocument {
  const components = new Components()
  const paths: Record<string, Record<string, SchemaObject>> = {}
  let usesProblem = false
  for (const route of app.routeTable()) {
    if (route.name?.startsWith("truss.")) continue
    if (options.exclude?.(route)) continue
    if (route.method === "HEAD" && route.options.response === undefined) continue
    const methods = route.method === "ALL" ? EXPAND_ALL : [route.method.toLowerCase()]
    for (const variant of pathVariants(route.path)) {
      const { op, problem } = operation(route, variant, components)
      usesProblem ||= problem
      const key = toOpenApiPath(variant)
      const item = paths[key] ?? {}
      paths[key] = item
      for (const m of methods) item[m] = op
    }
  }
  if (usesProblem) components.schemas[VALIDATION_PROBLEM] ??= PROBLEM
  const { securitySchemes, ...extra } = options.components ?? {}
  const doc: OpenApiDocument = {
    openapi: "3.1.0",
    info: options.info ?? { title: "API", version: "0.0.0" },
    paths,
    components: { ...extra, schemas: { ...components.schemas } },
  }
  if (securitySchemes) doc.components.securitySchemes = securitySchemes
  if (options.servers) doc.servers = [...options.servers]
  if (options.security) doc.security = [...options.security]
  if (options.tags) doc.tags = [...options.tags]
  return doc
}

/**
 * An OpenAPI 3.1 document as {@link openapi} returns it.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { type OpenApiDocument, openapi } from "truss/schema"
 * const doc: OpenApiDocument = openapi(new App().get("/", () => "hi"))
 * doc.openapi // "3.1.0"
 * ```
 */
export interface OpenApiDocument {
  openapi: "3.1.0"
  info: { title: string; version: string; [key: string]: unknown }
  paths: Record<string, Record<string, SchemaObject>>
  components: { schemas: Record<string, SchemaObject>; [key: string]: unknown }
  servers?: { url: string; description?: string }[]
  security?: Record<string, readonly string[]>[]
  tags?: { name: string; description?: string }[]
}

function operation(
  route: RouteDescription,
  path: string,
  components: Components,
): { op: SchemaObject; problem: boolean } {
  const o = route.options
  const op: SchemaObject = {}
  if (o.operationId ?? route.name) op.operationId = o.operationId ?? route.name
  if (o.summary) op.summary = o.summary
  if (o.description) op.description = o.description
  if (o.tags) op.tags = [...o.tags]
  if (o.deprecated) op.deprecated = true
  if (o.security) op.security = [...o.security]
  const parameters = [
    ...pathParameters(path, o.params, components),
    ...parametersOf("query", o.query, components),
    ...parametersOf("header", o.headers, components),
    ...parametersOf("cookie", o.cookies, components),
  ]
  if (parameters.length > 0) op.parameters = parameters
  if (o.body) {
    op.requestBody = {
      required: true,
      content: { "application/json": { schema: components.convert(o.body, "input") } },
    }
  }
  const responses: Record<string, SchemaObject> = {}
  for (const [status, schema] of Object.entries(o.response ?? {})) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? `Status ${status}`,
      content: { "application/json": { schema: components.convert(schema, "output") } },
    }
  }
  const validates = Boolean(o.params || o.query || o.headers || o.cookies || o.body)
  const problem = validates && responses["422"] === undefined
  if (problem) {
    responses["422"] = {
      description: "The request failed validation (TRUSS_ERR_VALIDATION).",
      content: {
        "application/problem+json": {
          schema: { $ref: `#/components/schemas/${VALIDATION_PROBLEM}` },
        },
      },
    }
  }
  if (Object.keys(responses).length === 0) responses.default = { description: "Response" }
  op.responses = responses
  return { op, problem }
}

const PARAM = /:([A-Za-z0-9_]+)(\((?:\\.|[^)])*\))?(\?)?/g

const OPTIONAL = /\/:[A-Za-z0-9_]+(\((?:\\.|[^)])*\))?\?/g

/** A path with optional params, and the same path without its optional segments. */
function pathVariants(path: string): string[] {
  if (path.replace(OPTIONAL, "") === path) return [path]
  return [path.replace(/\?(?=\/|$)/g, ""), path.replace(OPTIONAL, "") || "/"]
}

function toOpenApiPath(path: string): string {
  return path.replace(PARAM, "{$1}").replace(/\*/g, "{wildcard}") || "/"
}

/**
 * `/users/:id(\\d+)/files/:name?` → `["/users/{id}/files/{name}", "/users/{id}/files"]`.
 * @example
 * ```ts
 * import { openApiPaths } from "truss/schema"
 * openApiPaths("/files/:name?") // ["/files/{name}", "/files"]
 * ```
 */
export function openApiPaths(path: string): string[] {
  return pathVariants(path).map(toOpenApiPath)
}

function pathParameters(
  path: string,
  schema: StandardSchemaV1 | undefined,
  components: Components,
): SchemaObject[] {
  const props = schema ? propertiesOf(components.convert(schema, "input")) : undefined
  const out: SchemaObject[] = []
  for (const m of path.matchAll(PARAM)) {
    const name = m[1]!
    const pattern = m[2]?.slice(1, -1)
    const fallback: SchemaObject = pattern ? { type: "string", pattern } : { type: "string" }
    out.push({ name, in: "path", required: true, schema: props?.properties[name] ?? fallback })
  }
  if (path.includes("*")) {
    out.push({ name: "wildcard", in: "path", required: true, schema: { type: "string" } })
  }
  return out
}

function parametersOf(
  where: "query" | "header" | "cookie",
  schema: StandardSchemaV1 | undefined,
  components: Components,
): SchemaObject[] {
  if (!schema) return []
  const props = propertiesOf(components.convert(schema, "input"))
  if (!props) return []
  return Object.entries(props.properties).map(([name, s]) => {
    const p: SchemaObject = { name, in: where, required: props.required.includes(name), schema: s }
    if (typeof s.description === "string") p.description = s.description
    if (where === "query" && s.type === "array") Object.assign(p, { style: "form", explode: true })
    return p
  })
}

function propertiesOf(
  schema: SchemaObject,
): { properties: Record<string, SchemaObject>; required: string[] } | undefined {
  if (typeof schema.properties !== "object" || schema.properties === null) return undefined
  return {
    properties: schema.properties as Record<string, SchemaObject>,
    required: Array.isArray(schema.required) ? (schema.required as string[]) : [],
  }
}

const STATUS_TEXT: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted",
  "204": "No Content",
  "400": "Bad Request",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "Not Found",
  "409": "Conflict",
  "422": "Unprocessable Content",
}
