import { App, escapeHtml } from "truss"
import type { Mailer } from "truss/mail"
import type { Database } from "truss/orm"
import type { Backplane } from "truss/realtime"
import { docs } from "truss/schema"
import { secureHeaders } from "truss/security"
import { bookmarksApi } from "./bookmarks.js"
import { notesApi } from "./notes.js"
import { installSite } from "./site.js"

/** Options of {@link createApp}. */
export interface DemoOptions {
  /** The migrated database (`openDatabase()`): tasks, notes and bookmarks live there. */
  db: Database
  debug?: boolean
  logger?: boolean
  /** Signs the session cookie and mailed links; use 32+ random characters from the environment. */
  sessionSecret?: string
  /** The site's origin, for mailed links and passkeys. @default "http://localhost:3000" */
  origin?: string
  /** Sends the account mails. @default an in-memory outbox, shown at /dev/mail with `debug` */
  mailer?: Mailer
  /** Carries chat messages and presence between processes. @default memoryBackplane() */
  backplane?: Backplane
}

/** Builds the demo app; `server.ts` serves it and the tests drive it in-process. */
export function createApp(options: DemoOptions): App {
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
      ["Chat", c.url("chat")],
      ["Your account", c.url("account.show")],
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
  app.register(notesApi(options.db))
  app.register(bookmarksApi(options.db))
  installSite(app, options)
  docs(app, {
    enabled: true,
    info: { title: "Truss demo API", version: "1.0.0" },
    // The pages (tasks, accounts, MFA) answer browsers: they are no API, so the document
    // shows only the JSON API under /api and the greeting.
    exclude: (route) => !/^\/(api|hello)(\/|$)/.test(route.path),
    tags: [{ name: "bookmarks", description: "Saved links, validated by zod schemas" }],
  })
  return app
}
