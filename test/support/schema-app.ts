/**
 * A realistic API for the OpenAPI and typed-client tests: 24 routes, nested
 * blueprints, shared named schemas, auth, forms and every request part.
 */
import { App, Blueprint, HttpError } from "truss"
import { z } from "zod"

export const Tag = z.object({ name: z.string() }).meta({ id: "Tag" })
export const Note = z
  .object({ id: z.number().int(), text: z.string(), tags: z.array(Tag) })
  .meta({ id: "Note", examples: [{ id: 1, text: "Buy milk", tags: [{ name: "home" }] }] })
export const NoteIn = z.object({ text: z.string().min(1), tags: z.array(z.string()).default([]) })
export const Problem = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
  .meta({ id: "Problem" })
export const User = z.object({ id: z.number().int(), email: z.email(), name: z.string() }).meta({
  id: "User",
})
export const Page = z.object({
  page: z.number().int().min(1).default(1),
  size: z.number().int().max(100).default(20),
})
const Id = z.object({ id: z.number().int() })

const notes = new Map<number, z.infer<typeof Note>>([[1, { id: 1, text: "Buy milk", tags: [] }]])

const noteRoutes = new Blueprint({ prefix: "/notes", name: "notes" })
  .get(
    "",
    {
      name: "list",
      query: Page.extend({ tag: z.string().optional() }),
      response: { 200: z.array(Note) },
      tags: ["notes"],
    },
    (c) => {
      const { page, size } = c.valid("query")
      return [...notes.values()].slice((page - 1) * size, page * size)
    },
  )
  .post(
    "",
    {
      name: "create",
      body: NoteIn,
      response: { 201: Note },
      tags: ["notes"],
      summary: "Create a note",
    },
    (c) => {
      const { text, tags } = c.valid("body")
      const note = { id: notes.size + 1, text, tags: tags.map((name) => ({ name })) }
      notes.set(note.id, note)
      return c.json(note, 201)
    },
  )
  .get(
    "/:id",
    { name: "show", params: Id, response: { 200: Note, 404: Problem }, tags: ["notes"] },
    (c) => {
      const note = notes.get(c.valid("params").id)
      if (!note) throw new HttpError(404, "No such note")
      return c.json(note, 200)
    },
  )
  .put("/:id", { name: "replace", params: Id, body: NoteIn, response: { 200: Note } }, (c) => ({
    id: c.valid("params").id,
    text: c.valid("body").text,
    tags: [],
  }))
  .patch(
    "/:id",
    { name: "update", params: Id, body: NoteIn.partial(), response: { 200: Note } },
    (c) => ({
      id: c.valid("params").id,
      text: c.valid("body").text ?? "",
      tags: [],
    }),
  )
  .delete("/:id", { name: "destroy", params: Id, deprecated: true }, () => c204())
  .get("/:id/tags", { name: "tags", params: Id, response: { 200: z.array(Tag) } }, () => [])
  .post(
    "/:id/attachments",
    { name: "attach", params: Id, body: z.object({ title: z.string() }) },
    (c) => ({
      ok: c.valid("body").title,
    }),
  )

const admin = new Blueprint({ prefix: "/admin", name: "admin" })
  .get(
    "/users",
    { name: "users", response: { 200: z.array(User) }, security: [{ bearer: [] }] },
    () => [],
  )
  .get("/users/:id(\\d+)", { name: "user", response: { 200: User } }, (c) => ({
    id: Number(c.params.id),
    email: "a@example.com",
    name: "A",
  }))
  .delete("/users/:id(\\d+)", { name: "deleteUser" }, () => c204())
  .get("/stats", { name: "stats", headers: z.object({ "x-tenant": z.string() }) }, () => ({
    users: 0,
  }))

function c204() {
  return new Response(null, { status: 204 })
}

const v1 = new Blueprint({ prefix: "/v1", name: "v1" })
  .register(noteRoutes)
  .register(admin)
  .get(
    "/me",
    { name: "me", cookies: z.object({ sid: z.string() }), response: { 200: User, 401: Problem } },
    () => ({
      id: 1,
      email: "me@example.com",
      name: "Me",
    }),
  )
  .get(
    "/search",
    {
      name: "search",
      query: z.object({ q: z.string(), in: z.array(z.enum(["notes", "users"])).optional() }),
    },
    (c) => c.valid("query"),
  )

const api = new Blueprint({ prefix: "/api", name: "api" }).register(v1)

/** Builds the fixture app. */
export function fixtureApp(debug = true) {
  return new App({ debug, logger: false })
    .get("/", () => ({ hello: "world" }))
    .get("/health", { operationId: "health" }, (c) => c.json({ ok: true as const }, 200))
    .get("/files/*", (c) => c.params["*"])
    .get("/archive/:year/:month?", (c) => ({ year: c.params.year, month: c.params.month ?? null }))
    .post(
      "/login",
      {
        body: z.object({ email: z.email(), password: z.string() }),
        response: { 200: z.object({ token: z.string() }), 401: Problem },
      },
      (c) =>
        c.valid("body").password === "pw"
          ? c.json({ token: "t" }, 200)
          : c.json(
              { type: "about:blank", title: "Unauthorized", status: 401, detail: "Wrong password" },
              401,
            ),
    )
    .post("/contact", { body: z.object({ name: z.string(), message: z.string() }) }, (c) =>
      c.valid("body"),
    )
    .all("/echo", (c) => c.req.method)
    .register(api)
}
