import { describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { field, model } from "../../src/orm/index.js"
import { openapi } from "../../src/schema/index.js"

// Issue 4 audit: a route validates with the model itself, and OpenAPI shows the
// model's JSON Schema for that body.
const Note = model("note", {
  body: field.string({ max: 5, label: "Body" }),
  done: field.boolean({ default: false }),
})
const app = new App()
  .post("/notes", { body: Note.createSchema }, (c) => c.valid("body"))
  .patch("/notes/:id", { body: Note.updateSchema }, (c) => c.valid("body"))

const send = (method: string, path: string, body: unknown) =>
  app.request(path, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

describe("a model's Standard Schema on a route", () => {
  it("rejects bad create and update input with 422 and field messages", async () => {
    const bad = await send("POST", "/notes", { body: "toolong", done: "yes" })
    expect(bad.status).toBe(422)
    expect(await bad.json()).toMatchObject({
      code: "TRUSS_ERR_VALIDATION",
      errors: [
        { in: "body", path: "body", message: "Must be at most 5 characters." },
        { in: "body", path: "done", message: "Must be true or false." },
      ],
    })
    const missing = await send("POST", "/notes", {})
    expect((await missing.json()).errors).toMatchObject([
      { in: "body", path: "body", message: "This field is required." },
    ])
    const patch = await send("PATCH", "/notes/1", { done: 1 })
    expect((await patch.json()).errors).toMatchObject([
      { in: "body", path: "done", message: "Must be true or false." },
    ])
  })

  it("passes valid input through", async () => {
    const ok = await send("POST", "/notes", { body: "hi" })
    expect([ok.status, await ok.json()]).toEqual([200, { body: "hi" }])
    const patch = await send("PATCH", "/notes/1", { done: true })
    expect([patch.status, await patch.json()]).toEqual([200, { done: true }])
  })

  it("documents the create and update bodies with the model's JSON Schema", () => {
    const paths = openapi(app).paths as Record<string, Record<string, { requestBody?: unknown }>>
    const properties = {
      id: { type: "integer" },
      body: { type: "string", maxLength: 5, title: "Body" },
      done: { type: "boolean" },
    }
    const body = (schema: unknown) => ({
      required: true,
      content: { "application/json": { schema } },
    })
    expect(paths["/notes"]?.post?.requestBody).toEqual(
      body({
        title: "note.create",
        type: "object",
        properties,
        required: ["body"],
        additionalProperties: false,
      }),
    )
    expect(paths["/notes/{id}"]?.patch?.requestBody).toEqual(
      body({
        title: "note.update",
        type: "object",
        properties,
        required: [],
        additionalProperties: false,
      }),
    )
  })
})
