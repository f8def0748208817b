import { createClient } from "truss/testing"
import { describe, expect, it } from "vitest"
import { createApp } from "./app.js"

describe("demo app", () => {
  it("serves the home page with links built from route names", async () => {
    const res = await createApp().request("/", { headers: { accept: "text/html" } })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const html = await res.text()
    expect(html).toContain('<a href="/hello/world">Hello</a>')
    expect(html).toContain('<a href="/api/notes">Notes API</a>')
  })

  it("greets by name", async () => {
    const res = await createApp().request("/hello/Ada%20L")
    expect(await res.json()).toEqual({ message: "Hello, Ada L!" })
  })

  it("creates, reads, lists and deletes notes", async () => {
    const client = createClient(createApp())
    const created = await client.post("/api/notes", { text: "  buy milk " })
    expect(created.status).toBe(201)
    expect(created.headers.get("location")).toBe("/api/notes/1")
    const note = (await created.json()) as { id: number; text: string }
    expect(note.id).toBe(1)
    expect(note.text).toBe("buy milk")
    expect(await (await client.get("/api/notes/1")).json()).toEqual(note)
    expect(((await (await client.get("/api/notes")).json()) as { notes: unknown[] }).notes).toEqual(
      [note],
    )
    expect((await client.delete("/api/notes/1")).status).toBe(204)
    const gone = await client.get("/api/notes/1")
    expect(gone.status).toBe(404)
    expect(await gone.json()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      code: "DEMO_NOTE_NOT_FOUND",
      detail: "No note with id 1",
    })
  })

  it("rejects a note without text with 422 problem+json", async () => {
    const res = await createClient(createApp()).post("/api/notes", { text: "" })
    expect(res.status).toBe(422)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      code: "DEMO_NOTE_TEXT_REQUIRED",
      detail: "text is required and must be a non-empty string",
    })
  })

  it("answers a browser's 404 with a friendly page", async () => {
    const res = await createApp().request("/nope", { headers: { accept: "text/html" } })
    expect(res.status).toBe(404)
    expect(await res.text()).toContain("<h1>404 Not Found</h1>")
  })
})
