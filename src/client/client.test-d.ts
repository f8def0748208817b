import { describe, expectTypeOf, it } from "vitest"
import { z } from "zod"
import type { RoutesOf, ValidationIssue } from "../kit.js"
import { App, Blueprint } from "../kit.js"
import {
  type ClientResponse,
  createClient,
  type HttpStatus,
  type OtherResponse,
  type PathsOf,
  type ProblemDetails,
  type RequestInput,
} from "./index.js"

const Note = z.object({ id: z.number(), text: z.string() })
const Problem = z.object({ title: z.string(), detail: z.string() })

const notes = new Blueprint({ prefix: "/notes" })
  .get(
    "/:id",
    { params: z.object({ id: z.coerce.number() }), response: { 200: Note, 404: Problem } },
    (c) => c.json({ id: c.valid("params").id, text: "" }, 200),
  )
  .post("", { body: z.object({ text: z.string() }), response: { 201: Note } }, (c) =>
    c.json({ id: 1, text: c.valid("body").text }, 201),
  )

const app = new App()
  .get("/plain/:slug", (c) => ({ slug: c.params.slug }))
  .get("/replies", (c) => (Math.random() > 0.5 ? c.json({ a: 1 }, 200) : c.json({ b: "x" }, 404)))
  .get("/search", { query: z.object({ q: z.string(), page: z.number().optional() }) }, (c) =>
    c.valid("query"),
  )
  .register(new Blueprint({ prefix: "/api" }).register(notes))

const client = createClient<typeof app>("http://localhost:3000")

describe("createClient<typeof app>", () => {
  it("types path params from the path, or from the params schema's input", () => {
    expectTypeOf<PathsOf<RoutesOf<typeof app>, "get">>().toEqualTypeOf<
      "/plain/:slug" | "/replies" | "/search" | "/api/notes/:id"
    >()
    expectTypeOf<RequestInput<"/plain/:slug", object>["params"]>().toEqualTypeOf<{
      slug: string | number
    }>()
    // @ts-expect-error: params are required
    client.get("/plain/:slug")
    // @ts-expect-error: unknown param name
    client.get("/plain/:slug", { params: { nope: "x" } })
    client.get("/api/notes/:id", { params: { id: 7 } })
    // @ts-expect-error: the schema's input is unknown for z.coerce, but an object is required
    client.get("/api/notes/:id", {})
  })

  it("types the query and the body from the schemas", () => {
    client.get("/search", { query: { q: "x", page: 2 } })
    // @ts-expect-error: q is required
    client.get("/search", { query: { page: 2 } })
    client.post("/api/notes", { body: { text: "hi" } })
    // @ts-expect-error: text must be a string
    client.post("/api/notes", { body: { text: 1 } })
    // @ts-expect-error: no POST route at /search
    client.post("/search")
  })

  it("resolves to a union of declared responses, discriminated on status", async () => {
    const res = await client.get("/api/notes/:id", { params: { id: 1 } })
    expectTypeOf(res).toEqualTypeOf<
      | ClientResponse<200, { id: number; text: string }>
      | ClientResponse<404, { title: string; detail: string }>
      | ClientResponse<
          422,
          ProblemDetails & { code: "TRUSS_ERR_VALIDATION"; errors: ValidationIssue[] }
        >
      | OtherResponse<200 | 404 | 422>
    >()
    if (res.status === 200) expectTypeOf(res.data).toEqualTypeOf<{ id: number; text: string }>()
    if (res.status === 404) expectTypeOf(res.data.detail).toEqualTypeOf<string>()
    if (res.status === 422) expectTypeOf(res.data.errors).toEqualTypeOf<ValidationIssue[]>()
    if (res.status === 500) expectTypeOf(res.data).toEqualTypeOf<unknown>()
  })

  it("infers responses from the handler when no response schema is declared", async () => {
    const plain = await client.get("/plain/:slug", { params: { slug: "a" } })
    if (plain.status === 200) expectTypeOf(plain.data).toEqualTypeOf<{ slug: string }>()
    const replies = await client.get("/replies")
    if (replies.status === 200) expectTypeOf(replies.data).toEqualTypeOf<{ a: number }>()
    if (replies.status === 404) expectTypeOf(replies.data).toEqualTypeOf<{ b: string }>()
  })

  it("types undeclared statuses as OtherResponse with unknown data", async () => {
    const res = await client.post("/api/notes", { body: { text: "x" } })
    if (res.status !== 201 && res.status !== 422) {
      expectTypeOf(res).toEqualTypeOf<OtherResponse<201 | 422>>()
      expectTypeOf(res.status).toEqualTypeOf<Exclude<HttpStatus, 201 | 422>>()
    }
  })

  it("keeps the typed route table when routes are added without chaining", () => {
    const loose = new App()
    loose.get("/x", () => "x")
    expectTypeOf(loose).toEqualTypeOf<App>()
  })
})
