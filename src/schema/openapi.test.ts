import { compileErrors, validate } from "@readme/openapi-parser"
import { type } from "arktype"
import * as v from "valibot"
import { describe, expect, it } from "vitest"
import { z } from "zod"
import { fixtureApp } from "../../test/support/schema-app.js"
import { App } from "../kit.js"
import { docs, openApiPaths, openapi } from "./index.js"

const options = {
  info: { title: "Fixture", version: "1.0.0" },
  servers: [{ url: "https://api.example.com" }],
  security: [{ bearer: [] }],
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
}

describe("openapi()", () => {
  const doc = openapi(fixtureApp(), options)

  it("produces a document that @readme/openapi-parser validates", async () => {
    const result = await validate(structuredClone(doc) as never)
    expect(result.valid ? "valid" : compileErrors(result)).toBe("valid")
  })

  it("documents every route (24 operations on 17 paths) with blueprint prefixes", () => {
    const ops = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)
    expect(Object.keys(doc.paths)).toEqual([
      "/",
      "/health",
      "/files/{wildcard}",
      "/archive/{year}/{month}",
      "/archive/{year}",
      "/login",
      "/contact",
      "/echo",
      "/api/v1/me",
      "/api/v1/search",
      "/api/v1/notes",
      "/api/v1/notes/{id}",
      "/api/v1/notes/{id}/tags",
      "/api/v1/notes/{id}/attachments",
      "/api/v1/admin/users",
      "/api/v1/admin/users/{id}",
      "/api/v1/admin/stats",
    ])
    expect(ops).toBe(27)
  })

  it("puts named schemas in components and reuses them by $ref", () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      "Note",
      "Problem",
      "Tag",
      "TrussValidationProblem",
      "User",
    ])
    expect(doc.components.schemas.Note).toEqual({
      type: "object",
      properties: {
        id: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
        text: { type: "string" },
        tags: { type: "array", items: { $ref: "#/components/schemas/Tag" } },
      },
      required: ["id", "text", "tags"],
      additionalProperties: false,
      examples: [{ id: 1, text: "Buy milk", tags: [{ name: "home" }] }],
    })
    expect(doc.paths["/api/v1/notes"]!.get!.responses).toEqual({
      "200": {
        description: "OK",
        content: {
          "application/json": {
            schema: { type: "array", items: { $ref: "#/components/schemas/Note" } },
          },
        },
      },
      "422": {
        description: "The request failed validation (TRUSS_ERR_VALIDATION).",
        content: {
          "application/problem+json": {
            schema: { $ref: "#/components/schemas/TrussValidationProblem" },
          },
        },
      },
    })
  })

  it("documents params from the schema, constraints as patterns, and query, header, cookie parameters", () => {
    expect(doc.paths["/api/v1/notes/{id}"]!.delete).toEqual({
      operationId: "api.v1.notes.destroy",
      deprecated: true,
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          schema: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
        },
      ],
      responses: expect.objectContaining({ "422": expect.any(Object) }),
    })
    expect(doc.paths["/api/v1/admin/users/{id}"]!.get!.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", pattern: "\\d+" } },
    ])
    expect(doc.paths["/api/v1/search"]!.get!.parameters).toEqual([
      { name: "q", in: "query", required: true, schema: { type: "string" } },
      {
        name: "in",
        in: "query",
        required: false,
        schema: { type: "array", items: { type: "string", enum: ["notes", "users"] } },
        style: "form",
        explode: true,
      },
    ])
    expect(doc.paths["/api/v1/admin/stats"]!.get!.parameters).toEqual([
      { name: "x-tenant", in: "header", required: true, schema: { type: "string" } },
    ])
    expect(doc.paths["/api/v1/me"]!.get!.parameters).toEqual([
      { name: "sid", in: "cookie", required: true, schema: { type: "string" } },
    ])
  })

  it("carries summary, tags, operationId, security and the document-level settings", () => {
    const create = doc.paths["/api/v1/notes"]!.post!
    expect([create.operationId, create.summary, create.tags]).toEqual([
      "api.v1.notes.create",
      "Create a note",
      ["notes"],
    ])
    expect(doc.paths["/api/v1/admin/users"]!.get!.security).toEqual([{ bearer: [] }])
    expect(doc.paths["/health"]!.get!.operationId).toBe("health")
    expect(doc.servers).toEqual([{ url: "https://api.example.com" }])
    expect(doc.security).toEqual([{ bearer: [] }])
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: "http", scheme: "bearer" } })
  })

  it("expands all() to each method and splits optional params into two paths", () => {
    expect(Object.keys(doc.paths["/echo"]!)).toEqual([
      "get",
      "post",
      "put",
      "patch",
      "delete",
      "options",
    ])
    expect(openApiPaths("/archive/:year(\\d{4})/:month?")).toEqual([
      "/archive/{year}/{month}",
      "/archive/{year}",
    ])
  })

  it("documents arktype schemas, and valibot ones (no JSON Schema) as open schemas", () => {
    const app = new App()
      .post("/a", { body: type({ n: "number" }) }, () => "a")
      .post("/v", { body: v.object({ n: v.number() }) }, () => "v")
    const d = openapi(app)
    expect(d.paths["/a"]!.post!.requestBody).toEqual({
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
        },
      },
    })
    expect(d.paths["/v"]!.post!.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: {} } },
    })
  })
})

describe("docs()", () => {
  const build = (debug: boolean, enabled?: boolean) => {
    const app = new App({ debug, logger: false }).get(
      "/notes",
      { response: { 200: z.array(z.string()) } },
      () => ["a"],
    )
    return docs(app, { info: { title: "Notes <API>", version: "1" }, enabled })
  }

  it("serves the OpenAPI document and leaves the docs routes out of it", async () => {
    const res = await build(true).request("/openapi.json")
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(Object.keys(doc.paths)).toEqual(["/notes"])
    expect(doc.info).toEqual({ title: "Notes <API>", version: "1" })
  })

  it("serves a Swagger UI page whose assets come from swagger-ui-dist, not a CDN", async () => {
    const app = build(true)
    const html = await (await app.request("/docs")).text()
    expect(html).toContain("<title>Notes &#60;API&#62;</title>")
    expect(html).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>')
    expect(html).not.toMatch(/https?:\/\//)
    const bundle = await app.request("/docs/assets/swagger-ui-bundle.js")
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    expect((await bundle.text()).length).toBeGreaterThan(500_000)
    const init = await (await app.request("/docs/assets/init.js")).text()
    expect(init).toContain('url: "/openapi.json"')
    expect((await app.request("/docs/assets/package.json")).status).toBe(404)
  })

  it("is off when debug is false unless enabled", async () => {
    expect((await build(false).request("/docs")).status).toBe(404)
    expect((await build(false).request("/openapi.json")).status).toBe(404)
    expect((await build(false, true).request("/openapi.json")).status).toBe(200)
  })
})
