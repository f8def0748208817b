import { App, Blueprint, escapeHtml, HttpError } from "truss"
import { docs } from "truss/schema"
import { secureHeaders } from "truss/security"
import { bookmarksApi } from "./bookmarks.js"
import { installSite, type SiteOptions } from "./site.js"

interface Note {
  id: number
  text: string
  createdAt: string
}

/** The notes API: a blueprint with named routes, JSON bodies and coded errors. */
function notesApi(): Blueprint {
  const notes = new Map<number, Note>()
  let nextId = 1
  const api = new Blueprint({ prefix: "/api/notes", name: "notes" })

  api.get("", { name: "list" }, () => ({ notes: [...notes.values()] }))

  api.post("", { name: "create" }, async (c) => {
    const body: unknown = await c.req.json()
    // Any JSON value parses: `null`, an array or a string is no note either.
    const text =
      typeof body === "object" && body !== null && !Array.isArray(body)
        ? (body as { text?: unknown }).text
        : undefined
    if (typeof text !== "string" || text.trim() === "") {
      throw new HttpError(422, "text is required and must be a non-empty string", {
        code: "DEMO_NOTE_TEXT_REQUIRED",
      })
    }
    const note = { id: nextId++, text: text.trim(), createdAt: new Date().toISOString() }
    notes.set(note.id, note)
    c.header("location", c.url("notes.show", { id: note.id }))
    return c.json(note, 201)
  })

  api.get("/:id(\\d+)", { name: "show" }, (c) => {
    const note = notes.get(Number(c.params.id))
    if (!note)
      throw new HttpError(404, `No note with id ${c.params.id}`, { code: "DEMO_NOTE_NOT_FOUND" })
    return note
  })

  api.delete("/:id(\\d+)", { name: "delete" }, (c) => {
    if (!notes.delete(Number(c.params.id)))
      throw new HttpError(404, `No note with id ${c.params.id}`)
    c.status = 204
    c.body = null
    return c
  })
  return api
}

/** Builds the demo app; `server.ts` serves it and the tests drive it in-process. */
export function createApp(options: { debug?: boolean; logger?: boolean } & SiteOptions = {}): App {
  const app = new App({ debug: options.debug ?? false, logger: options.logger ?? false })
  // Every page, JSON and docs route gets the security headers, not just the task pages.
  // Swagger UI sets inline style attributes as it renders, so /docs allows inline styles
  // (never inline scripts).
  const siteHeaders = secureHeaders()
  const docsHeaders = secureHeaders({
    contentSecurityPolicy: { directives: { "style-src": ["'self'", "'unsafe-inline'"] } },
  })
  app.use(function securityHeaders(c, next) {
    const docsPath = c.req.path === "/docs" || c.req.path.startsWith("/docs/")
    return (docsPath ? docsHeaders : siteHeaders)(c, next)
  })

  app.get("/", { name: "home" }, (c) => {
    const links = [
      ["Hello", c.url("hello", { name: "world" })],
      ["Notes API", c.url("notes.list")],
      ["Bookmarks API", c.url("bookmarks.list")],
      ["API docs", "/docs"],
      ["Tasks", c.url("tasks.list")],
    ]
    const items = links.map(
      ([label, href]) => `<li><a href="${escapeHtml(href!)}">${escapeHtml(label!)}</a></li>`,
    )
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Truss demo</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><main class="home"><h1>Truss demo</h1><p>A small app built on Truss: pages, JSON APIs and their docs.</p>
<ul class="cards">${items.join("")}</ul></main></body></html>`)
  })

  app.get("/hello/:name", { name: "hello" }, (c) => ({ message: `Hello, ${c.params.name}!` }))
  app.register(notesApi())
  app.register(bookmarksApi())
  installSite(app, options)
  docs(app, {
    enabled: true,
    info: { title: "Truss demo API", version: "1.0.0" },
    // The task pages answer HTML forms: they are no API, so the document leaves them out.
    exclude: (route) => route.name?.startsWith("tasks.") === true,
    tags: [{ name: "bookmarks", description: "Saved links, validated by zod schemas" }],
  })
  return app
}
