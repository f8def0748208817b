import type { StandardSchemaV1 } from "@standard-schema/spec"
import { type } from "arktype"
import * as v from "valibot"
import { describe, expect, it } from "vitest"
import { z } from "zod"
import { App, HttpError } from "../index.js"

interface Lib {
  name: string
  /** Whether the validator exposes Standard JSON Schema (so strings are coerced). */
  coerces: boolean
  body: StandardSchemaV1
  query: StandardSchemaV1
  invalid: { in: string; path: string; message: string; code: string }[]
}

const LIBS: Lib[] = [
  {
    name: "zod",
    coerces: true,
    body: z.object({
      text: z.string().min(1),
      items: z.array(z.object({ qty: z.number().int() })),
    }),
    query: z.object({
      page: z.number().int(),
      tags: z.array(z.string()).optional(),
      on: z.boolean().optional(),
    }),
    invalid: [
      {
        in: "query",
        path: "page",
        message: "Invalid input: expected number, received string",
        code: "invalid_type",
      },
      {
        in: "body",
        path: "text",
        message: "Too small: expected string to have >=1 characters",
        code: "too_small",
      },
      {
        in: "body",
        path: "items.1.qty",
        message: "Invalid input: expected number, received string",
        code: "invalid_type",
      },
    ],
  },
  {
    name: "valibot",
    coerces: false,
    body: v.object({
      text: v.pipe(v.string(), v.minLength(1)),
      items: v.array(v.object({ qty: v.pipe(v.number(), v.integer()) })),
    }),
    query: v.object({ page: v.pipe(v.string(), v.regex(/^\d+$/)) }),
    invalid: [
      {
        in: "query",
        path: "page",
        message: 'Invalid format: Expected /^\\d+$/ but received "x"',
        code: "regex",
      },
      {
        in: "body",
        path: "text",
        message: "Invalid length: Expected >=1 but received 0",
        code: "min_length",
      },
      {
        in: "body",
        path: "items.1.qty",
        message: 'Invalid type: Expected number but received "2"',
        code: "number",
      },
    ],
  },
  {
    name: "arktype",
    coerces: true,
    body: type({ text: "string > 0", items: type({ qty: "number.integer" }).array() }),
    query: type({ page: "number.integer", "tags?": "string[]", "on?": "boolean" }),
    invalid: [
      {
        in: "query",
        path: "page",
        message: "page must be a number (was a string)",
        code: "domain",
      },
      {
        in: "body",
        path: "items.1.qty",
        message: "items[1].qty must be a number (was a string)",
        code: "domain",
      },
      { in: "body", path: "text", message: "text must be non-empty", code: "minLength" },
    ],
  },
]

const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body),
})

for (const lib of LIBS) {
  describe(`${lib.name}: route validation`, () => {
    const app = new App().post("/notes", { body: lib.body, query: lib.query }, (c) => ({
      body: c.valid("body"),
      query: c.valid("query"),
    }))

    it("hands the handler validated, coerced values", async () => {
      const res = await app.request(
        "/notes?page=2&tags=a&tags=b&on=true",
        json({ text: "hi", items: [{ qty: 1 }] }),
      )
      expect(res.status).toBe(200)
      const query = lib.coerces ? { page: 2, tags: ["a", "b"], on: true } : { page: "2" }
      expect(await res.json()).toEqual({ body: { text: "hi", items: [{ qty: 1 }] }, query })
    })

    it("answers 422 problem+json listing every failing field", async () => {
      const res = await app.request(
        "/notes?page=x",
        json({ text: "", items: [{ qty: 1 }, { qty: "2" }] }),
      )
      expect(res.status).toBe(422)
      expect(res.headers.get("content-type")).toBe("application/problem+json")
      expect(await res.json()).toEqual({
        type: "about:blank",
        title: "Unprocessable Entity",
        status: 422,
        code: "TRUSS_ERR_VALIDATION",
        detail:
          "The request is invalid: 3 fields failed validation. Fix the fields listed in errors[] (in, path, message) and send it again.",
        errors: lib.invalid,
      })
    })
  })
}

describe("coercion and request parts", () => {
  it("keeps __proto__, toString and constructor in a loose query as plain data", async () => {
    const app = new App({ logger: false })
    app.get("/q", { query: z.looseObject({ a: z.string() }) }, (c) => {
      const q = c.valid("query") as Record<string, unknown>
      return {
        plainPrototype: Object.getPrototypeOf(q) === Object.prototype,
        keys: Object.keys(q).sort(),
        toString: q.toString,
        constructor: q.constructor,
      }
    })
    const res = await app.request("/q?__proto__=x&toString=y&constructor=z&a=1")
    expect(await res.json()).toEqual({
      plainPrototype: true,
      keys: ["a", "constructor", "toString"],
      toString: "y",
      constructor: "z",
    })
  })

  it("coerces params, headers and cookies by the schema and keeps strings elsewhere", async () => {
    const app = new App().get(
      "/items/:id",
      {
        params: z.object({ id: z.number().int() }),
        headers: z.object({ "x-limit": z.number(), "x-name": z.string() }),
        cookies: z.object({ dark: z.boolean() }),
      },
      (c) => ({ ...c.valid("params"), ...c.valid("headers"), ...c.valid("cookies") }),
    )
    const res = await app.request("/items/7", {
      headers: { "x-limit": "10", "x-name": "42", cookie: "dark=true" },
    })
    expect(await res.json()).toEqual({ id: 7, "x-limit": 10, "x-name": "42", dark: true })
  })

  it("validates urlencoded forms, repeated keys becoming arrays where the schema says so", async () => {
    const app = new App().post(
      "/form",
      { body: z.object({ name: z.string(), n: z.number(), tags: z.array(z.string()) }) },
      (c) => c.valid("body"),
    )
    const res = await app.request("/form", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=Ada&n=3&tags=x&tags=y",
    })
    expect(await res.json()).toEqual({ name: "Ada", n: 3, tags: ["x", "y"] })
  })

  it("validates multipart forms with files as File objects", async () => {
    const app = new App().post(
      "/upload",
      { body: z.object({ title: z.string(), file: z.instanceof(File) }) },
      async (c) => {
        const { title, file } = c.valid("body")
        return { title, name: file.name, text: await file.text() }
      },
    )
    const form = new FormData()
    form.append("title", "notes")
    form.append("file", new File(["hello"], "a.txt", { type: "text/plain" }))
    const res = await app.request("/upload", { method: "POST", body: form })
    expect(await res.json()).toEqual({ title: "notes", name: "a.txt", text: "hello" })
  })

  it("answers 422 (not 500) for a missing body", async () => {
    const app = new App().post("/x", { body: z.object({ a: z.string() }) }, (c) => c.valid("body"))
    const res = await app.request("/x", { method: "POST", headers: { accept: "application/json" } })
    expect(res.status).toBe(422)
    expect((await res.json()).errors).toEqual([
      {
        in: "body",
        path: "",
        message: "Invalid input: expected object, received undefined",
        code: "invalid_type",
      },
    ])
  })

  it("keeps 415 for a body with the wrong content type", async () => {
    const app = new App().post("/x", { body: z.object({ a: z.string() }) }, (c) => c.valid("body"))
    const res = await app.request("/x", {
      method: "POST",
      headers: { "content-type": "application/xml", accept: "application/json" },
      body: "<a/>",
    })
    expect(res.status).toBe(415)
  })

  it("runs after route middleware, so auth answers before validation", async () => {
    const app = new App().post(
      "/x",
      { body: z.object({ a: z.string() }) },
      async function auth() {
        throw new HttpError(401, "Log in first")
      },
      (c) => c.valid("body"),
    )
    const res = await app.request("/x", json({}))
    expect(res.status).toBe(401)
  })

  it("awaits async schemas", async () => {
    const Slug = z.string().refine(async (s) => s !== "taken", "slug is taken")
    const app = new App().post("/x", { body: z.object({ slug: Slug }) }, (c) => c.valid("body"))
    const res = await app.request("/x", json({ slug: "taken" }))
    expect((await res.json()).errors).toEqual([
      { in: "body", path: "slug", message: "slug is taken", code: "custom" },
    ])
  })
})

describe("response schemas", () => {
  const User = z.object({ id: z.number(), name: z.string() })
  const build = (debug: boolean) =>
    new App({ debug, logger: false })
      .get("/user", { response: { 200: User } }, () => ({ id: 1, name: "Ada", passwordHash: "x" }))
      .get("/bad", { response: { 200: User } }, () => ({ id: "1", name: "Ada" }))
      .get("/created", { response: { 200: User } }, (c) => c.json({ id: 1, name: "A" }, 201))

  it("strips undeclared fields in production (fast-json-stringify)", async () => {
    const res = await build(false).request("/user")
    expect(await res.text()).toBe('{"id":1,"name":"Ada"}')
  })

  it("strips undeclared fields in debug (the schema's output)", async () => {
    const res = await build(true).request("/user")
    expect(await res.text()).toBe('{"id":1,"name":"Ada"}')
  })

  it("makes a mismatching body a loud 500 naming the route and the field in debug", async () => {
    const res = await build(true).request("/bad", { headers: { accept: "application/json" } })
    expect(res.status).toBe(500)
    const body = await res.json()
    expect(body.code).toBe("TRUSS_ERR_RESPONSE_INVALID")
    expect(body.detail).toBe(
      "The handler of GET /bad sent a 200 body that does not match its response schema at id: Invalid input: expected number, received string. Fix the handler or the route's response schema.",
    )
  })

  it("makes an undeclared status a loud 500 in debug", async () => {
    const res = await build(true).request("/created", { headers: { accept: "application/json" } })
    expect((await res.json()).detail).toBe(
      "The handler of GET /created sent a 201 body that does not match its response schema at (status): status 201 is not declared in response (declared: 200). Fix the handler or the route's response schema.",
    )
  })

  it("serializes by the declared types in production: a numeric string becomes a number", async () => {
    const res = await build(false).request("/bad")
    expect(await res.text()).toBe('{"id":1,"name":"Ada"}')
  })

  it("hides a missing required field behind TRUSS_ERR_INTERNAL in production", async () => {
    const app = new App({ logger: false }).get("/x", { response: { 200: User } }, () => ({ id: 1 }))
    const res = await app.request("/x", { headers: { accept: "application/json" } })
    expect(res.status).toBe(500)
    expect((await res.json()).code).toBe("TRUSS_ERR_INTERNAL")
  })

  it("leaves error responses thrown by the handler alone", async () => {
    const app = new App({ debug: true }).get("/gone", { response: { 200: User } }, () => {
      throw new HttpError(410, "Gone for good")
    })
    const res = await app.request("/gone", { headers: { accept: "application/json" } })
    expect(res.status).toBe(410)
    expect((await res.json()).detail).toBe("Gone for good")
  })
})

describe("response schemas and thrown errors in production", () => {
  it("renders a thrown error's problem in full even when its status is declared", async () => {
    const Problem = z.object({ title: z.string() })
    const app = new App({ logger: false }).get(
      "/x",
      { response: { 200: z.object({ a: z.number() }), 404: Problem } },
      () => {
        throw new HttpError(404, "No x here", { code: "X_MISSING" })
      },
    )
    const res = await app.request("/x", { headers: { accept: "application/json" } })
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      code: "X_MISSING",
      detail: "No x here",
    })
  })
})
