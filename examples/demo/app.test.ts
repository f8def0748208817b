import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { App, WithBlueprint } from "truss"
import { createClient as createTypedClient } from "truss/client"
import { createClient } from "truss/testing"
import { describe, expect, it, onTestFinished } from "vitest"
import { createApp } from "./app.js"
import type { bookmarksApi } from "./bookmarks.js"
import { openDatabase } from "./database.js"
import { demoApp } from "./test-app.js"

/** The demo app's type as far as the bookmarks API goes: its routes under their prefix. */
type BookmarksApp = WithBlueprint<App, ReturnType<typeof bookmarksApi>>

describe("demo app", () => {
  it("serves the home page with links built from route names", async () => {
    const res = await (await demoApp()).request("/", { headers: { accept: "text/html" } })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const html = await res.text()
    expect(html).toContain('<a href="/hello/world">Hello</a>')
    expect(html).toContain('<a href="/api/notes">Notes API</a>')
  })

  it("styles the home page with the site stylesheet", async () => {
    const html = await (
      await (await demoApp()).request("/", { headers: { accept: "text/html" } })
    ).text()
    expect(html).toContain('<link rel="stylesheet" href="/static/site.css">')
    expect(await (await (await demoApp()).request("/static/site.css")).text()).toContain(".home")
  })

  it("greets by name", async () => {
    const res = await (await demoApp()).request("/hello/Ada%20L")
    expect(await res.json()).toEqual({ message: "Hello, Ada L!" })
  })

  it("creates, reads, lists and deletes notes", async () => {
    const client = createClient(await demoApp())
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

  it("changes a note's text with PATCH, and answers 404 and 422 like create", async () => {
    const client = createClient(await demoApp())
    const note = (await (await client.post("/api/notes", { text: "draft" })).json()) as {
      id: number
      createdAt: string
    }
    const patched = await client.patch(`/api/notes/${note.id}`, { text: " final " })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toEqual({ id: note.id, text: "final", createdAt: note.createdAt })
    expect(await (await client.get(`/api/notes/${note.id}`)).json()).toEqual({
      id: note.id,
      text: "final",
      createdAt: note.createdAt,
    })
    expect((await client.patch("/api/notes/77", { text: "x" })).status).toBe(404)
    const empty = await client.patch(`/api/notes/${note.id}`, { text: "" })
    expect([empty.status, ((await empty.json()) as { code: string }).code]).toEqual([
      422,
      "DEMO_NOTE_TEXT_REQUIRED",
    ])
  })

  it("keeps notes and bookmarks in the database, across app restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "truss-demo-"))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const url = `sqlite:${join(dir, "demo.db")}`
    const first = await openDatabase(url)
    const api = createClient(createApp({ db: first }))
    await api.post("/api/notes", { text: "survives" })
    await api.post("/api/bookmarks", { url: "https://sqlite.org", title: "SQLite", tags: ["db"] })
    await first.close()
    const second = await openDatabase(url)
    onTestFinished(() => second.close())
    const again = createClient(createApp({ db: second }))
    const notes = (await (await again.get("/api/notes")).json()) as { notes: { text: string }[] }
    expect(notes.notes.map((n) => n.text)).toEqual(["survives"])
    const marks = (await (await again.get("/api/bookmarks")).json()) as { tags: string[] }[]
    expect(marks.map((b) => b.tags)).toEqual([["db"]])
  })

  it("rejects a note without text with 422 problem+json", async () => {
    const res = await createClient(await demoApp()).post("/api/notes", { text: "" })
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

  it("rejects a JSON body that is null, an array or a string with 422 problem+json", async () => {
    for (const raw of ["null", "[]", '"hi"']) {
      const res = await (await demoApp()).request("/api/notes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: raw,
      })
      expect([raw, res.status, res.headers.get("content-type")]).toEqual([
        raw,
        422,
        "application/problem+json",
      ])
      expect(((await res.json()) as { code: string }).code).toBe("DEMO_NOTE_TEXT_REQUIRED")
    }
  })

  it("sends the security headers on every page, JSON and docs route", async () => {
    const app = await demoApp()
    for (const path of [
      "/",
      "/hello/x",
      "/api/notes",
      "/api/bookmarks",
      "/docs",
      "/openapi.json",
      "/tasks",
    ]) {
      const res = await app.request(path, {
        headers: { accept: path === "/docs" ? "text/html" : "*/*" },
      })
      expect([
        path,
        res.headers.get("x-content-type-options"),
        res.headers.has("content-security-policy"),
      ]).toEqual([path, "nosniff", true])
    }
  })

  it("leaves the HTML form routes out of the OpenAPI document", async () => {
    const doc = (await (await (await demoApp()).request("/openapi.json")).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/tasks"))).toEqual([])
    expect(Object.keys(doc.paths)).toContain("/api/bookmarks")
  })

  it("answers a browser's 404 with a friendly page", async () => {
    const res = await (await demoApp()).request("/nope", { headers: { accept: "text/html" } })
    expect(res.status).toBe(404)
    expect(await res.text()).toContain("<h1>404 Not Found</h1>")
  })
})

describe("demo bookmarks API (schemas, OpenAPI, typed client)", () => {
  const typed = async () => createTypedClient<BookmarksApp>(await demoApp())

  it("refuses bookmark URLs that are not http or https with 422", async () => {
    const api = await typed()
    for (const url of ["javascript:alert(1)", "data:text/html,hi", "ftp://example.com/x"]) {
      const res = await api.post("/api/bookmarks", { body: { url, title: "x" }, query: {} })
      expect([url, res.status, (res.data as { code: string }).code]).toEqual([
        url,
        422,
        "TRUSS_ERR_VALIDATION",
      ])
    }
    const ok = await api.post("/api/bookmarks", {
      body: { url: "http://example.com/", title: "ok" },
      query: {},
    })
    expect(ok.status).toBe(201)
  })

  it("validates, creates and filters bookmarks, never sending internal fields", async () => {
    const app = await demoApp()
    const api = createTypedClient<BookmarksApp>(app)
    const created = await api.post("/api/bookmarks", {
      body: { url: "https://nodejs.org", title: "  Node.js ", tags: ["js"] },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get("location")).toBe("/api/bookmarks/1")
    if (created.status !== 201) throw new Error("expected 201")
    expect(Object.keys(created.data).sort()).toEqual(["createdAt", "id", "tags", "title", "url"])
    expect([created.data.id, created.data.title, created.data.tags]).toEqual([1, "Node.js", ["js"]])
    await api.post("/api/bookmarks", { body: { url: "https://example.com", title: "Example" } })
    const js = await api.get("/api/bookmarks", { query: { tag: "js", limit: 5 } })
    expect(js.status === 200 && js.data.map((b) => b.title)).toEqual(["Node.js"])
    const shown = await api.get("/api/bookmarks/:id", { params: { id: 2 } })
    expect(shown.status === 200 && shown.data.url).toBe("https://example.com")
  })

  it("replaces a bookmark with PUT and changes some fields with PATCH, tags included", async () => {
    const api = await typed()
    const created = await api.post("/api/bookmarks", {
      body: { url: "https://nodejs.org", title: "Node", tags: ["js", "runtime"] },
    })
    if (created.status !== 201) throw new Error("expected 201")
    const id = created.data.id
    const put = await api.put("/api/bookmarks/:id", {
      params: { id },
      body: { url: "https://nodejs.org/en", title: "Node.js" },
    })
    expect(put.status === 200 && [put.data.url, put.data.title, put.data.tags]).toEqual([
      "https://nodejs.org/en",
      "Node.js",
      [],
    ])
    const patched = await api.patch("/api/bookmarks/:id", {
      params: { id },
      body: { tags: ["js", "js", "node"] },
    })
    expect(patched.status === 200 && [patched.data.title, patched.data.tags.sort()]).toEqual([
      "Node.js",
      ["js", "node"],
    ])
    const byTag = await api.get("/api/bookmarks", { query: { tag: "node", limit: 5 } })
    expect(byTag.status === 200 && byTag.data.map((b) => b.id)).toEqual([id])
    const missing = await api.patch("/api/bookmarks/:id", { params: { id: 404 }, body: {} })
    expect(missing.status).toBe(404)
    const bad = await api.patch("/api/bookmarks/:id", {
      params: { id },
      body: { url: "javascript:alert(1)" },
    })
    expect(bad.status).toBe(422)
  })

  it("answers invalid input with a 422 listing every field", async () => {
    const api = await typed()
    const res = await api.post("/api/bookmarks", {
      body: { url: "nope", title: "" },
      query: {},
    })
    expect(res.status).toBe(422)
    expect(res.data).toEqual({
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      code: "TRUSS_ERR_VALIDATION",
      detail:
        "The request is invalid: 2 fields failed validation. Fix the fields listed in errors[] (in, path, message) and send it again.",
      errors: [
        { in: "body", path: "url", message: "Invalid URL", code: "invalid_format" },
        {
          in: "body",
          path: "title",
          message: "Too small: expected string to have >=1 characters",
          code: "too_small",
        },
      ],
    })
    const bad = await api.get("/api/bookmarks/:id", { params: { id: 0 } })
    expect(bad.status).toBe(422)
    const missing = await api.get("/api/bookmarks/:id", { params: { id: 9 } })
    expect([missing.status, (missing.data as { code: string }).code]).toEqual([
      404,
      "DEMO_BOOKMARK_NOT_FOUND",
    ])
  })

  it("serves its OpenAPI document and the Swagger UI at /docs", async () => {
    const app = await demoApp()
    const doc = await (await app.request("/openapi.json")).json()
    expect(doc.info).toEqual({ title: "Truss demo API", version: "1.0.0" })
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/bookmarks", "/api/bookmarks/{id}", "/api/notes"]),
    )
    expect(doc.paths["/api/bookmarks"].post.requestBody.content["application/json"].schema).toEqual(
      {
        $ref: "#/components/schemas/BookmarkIn",
      },
    )
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      "Bookmark",
      "BookmarkIn",
      "BookmarkPatch",
      "Problem",
      "TrussValidationProblem",
    ])
    const page = await app.request("/docs", { headers: { accept: "text/html" } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>')
    expect((await app.request("/docs/assets/swagger-ui.css")).status).toBe(200)
  })
})
