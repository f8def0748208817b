import { fileURLToPath } from "node:url"
import { dereference, validate } from "@readme/openapi-parser"
import { describe, expect, it } from "vitest"
import { testConduit } from "./test-app.js"

const SPEC = fileURLToPath(new URL("./spec/openapi.yml", import.meta.url))
type Node = Record<string, unknown>
type Operation = {
  operationId?: string
  tags?: string[]
  security?: unknown[]
  parameters?: Node[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Node }> }
  responses: Record<string, { content?: Record<string, { schema?: Node }> }>
}
type Doc = { paths: Record<string, Record<string, Operation>> }

/** Sorts `required` lists, so property order (zod's) and the spec's alphabetical order compare equal. */
function normal(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normal)
  if (node === null || typeof node !== "object") return node
  const out: Node = {}
  for (const [k, v] of Object.entries(node))
    out[k] = k === "required" && Array.isArray(v) ? [...v].sort() : normal(v)
  return out
}

/** Where the spec leaves a body out (`content: {}`), which schema our route declares for it. */
const BODYLESS: Record<string, string> = { "204": "null (no body)", "401": "GenericErrorModel" }

/** One operation as compared: parameters by name, the JSON request body, responses by status. */
function shape(op: Operation, status: (code: string, schema: Node | undefined) => unknown) {
  const params = (op.parameters ?? []).map((p) => ({
    name: p.name,
    in: p.in,
    required: p.required ?? false,
    schema: normal(p.schema),
  }))
  return {
    operationId: op.operationId,
    tags: op.tags,
    security: op.security ?? [],
    parameters: params.sort((a, b) => String(a.name).localeCompare(String(b.name))),
    requestBody: op.requestBody && {
      required: op.requestBody.required,
      schema: normal(op.requestBody.content["application/json"]?.schema),
    },
    responses: Object.fromEntries(
      Object.entries(op.responses).map(([code, r]) => [
        code,
        status(code, r.content?.["application/json"]?.schema),
      ]),
    ),
  }
}

function operations(
  doc: Doc,
  prefix: string,
  status: (code: string, schema: Node | undefined) => unknown,
) {
  const out: Record<string, unknown> = {}
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item))
      out[`${method.toUpperCase()} ${path.slice(prefix.length)}`] = shape(op, status)
  }
  return out
}

describe("the OpenAPI document at /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const { app } = await testConduit()
    const doc = await (await app.request("/openapi.json")).json()
    const result = await validate(doc)
    expect(result.valid).toBe(true)
  })

  it("has the spec's paths, methods, parameters, request bodies and response schemas", async () => {
    const { app } = await testConduit()
    const generated = (await dereference(
      await (await app.request("/openapi.json")).json(),
    )) as unknown as Doc
    const spec = (await dereference(SPEC)) as unknown as Doc
    const GenericErrorModel = normal(
      spec.paths["/tags"]?.get?.responses["422"]?.content?.["application/json"]?.schema,
    )
    const ours = operations(generated, "/api", (code, schema) => {
      if (BODYLESS[code] === undefined) return normal(schema)
      const expected = code === "204" ? { type: "null" } : GenericErrorModel
      expect(normal(schema)).toEqual(expected)
      return BODYLESS[code]
    })
    const theirs = operations(spec, "", (code, schema) =>
      schema === undefined ? BODYLESS[code] : normal(schema),
    )
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort())
    for (const key of Object.keys(theirs))
      expect({ [key]: ours[key] }).toEqual({ [key]: theirs[key] })
  })

  it("has the spec's tags and Token security scheme", async () => {
    const { app } = await testConduit()
    const doc = (await (await app.request("/openapi.json")).json()) as {
      tags: unknown
      components: { securitySchemes: Node }
    }
    const spec = (await dereference(SPEC)) as unknown as typeof doc
    expect(doc.tags).toEqual(spec.tags)
    const { description: _, ...token } = spec.components.securitySchemes.Token as Node
    expect(doc.components.securitySchemes).toEqual({ Token: token })
  })

  it("serves Swagger UI at /docs", async () => {
    const { app } = await testConduit()
    const res = await app.request("/docs")
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<script src="/docs/assets/init.js"></script>')
  })
})
