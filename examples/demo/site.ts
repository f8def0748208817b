import { fileURLToPath } from "node:url"
import { type App, Blueprint, escapeHtml, serveStatic } from "truss"
import { createAdmin } from "truss/admin"
import {
  auth,
  authModels,
  authPages,
  authSessionStore,
  hasTotp,
  type MfaLayout,
  passkeyRoutes,
  requireUser,
  totpRoutes,
} from "truss/auth"
import { createMailer, mailViewer, memoryTransport } from "truss/mail"
import { csrf } from "truss/security"
import { sessions } from "truss/sessions"
import { templates } from "truss/templates"
import { accountPages } from "./account.js"
import type { DemoOptions } from "./app.js"
import { installChat } from "./chat.js"
import { BookmarkModel, NoteModel, TagModel } from "./models.js"
import { TaskModel } from "./tasks/model.js"
import { ormTasks } from "./tasks/orm-repository.js"
import { taskPages } from "./tasks/site.js"

// Only for running the demo locally and in its tests; server.ts asks for
// SESSION_SECRET in production.
const DEV_SECRET = "truss-demo-development-secret-not-for-production"

/** The TOTP pages in the demo's look: its stylesheet, no inline styles or scripts. */
const layout: MfaLayout = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Truss demo</title><link rel="stylesheet" href="/static/site.css"></head><body><header><a href="/">Truss demo</a><a href="/tasks">Tasks</a></header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`

/** The admin of the demo's models: tasks, notes, bookmarks, tags and the auth models. */
function demoAdmin() {
  const admin = createAdmin()
  admin.register(TaskModel, {
    list: ["title", "priority", "done", "owner.email"],
    search: ["title", "notes"],
    filters: ["done", "owner"],
    ordering: ["-priority", "id"],
  })
  admin.register(BookmarkModel, { list: ["title", "url", "createdAt"], search: ["title", "url"] })
  admin.autodiscover([...authModels, NoteModel, TagModel])
  return admin
}

/**
 * Adds the pages: static files under /static, templates, accounts (sign-up, log-in,
 * password reset by mail, TOTP and passkeys), the task pages, each user seeing their
 * own tasks, a live chat with presence, and the admin at /admin for staff. Sessions, CSRF and auth cover these pages; the JSON API stays cookie-free.
 * `createApp` puts the security headers on every route.
 */
export function installSite(app: App, options: DemoOptions): void {
  const { db } = options
  const secret = options.sessionSecret ?? DEV_SECRET
  const origin = options.origin ?? "http://localhost:3000"
  // Mail goes to an in-memory outbox, readable at /dev/mail while debugging.
  const outbox = memoryTransport()
  const mailer =
    options.mailer ?? createMailer({ transport: outbox, from: "Truss demo <demo@localhost>" })
  if (options.debug && options.mailer === undefined) app.register(mailViewer(outbox))

  app.use(
    serveStatic({ root: fileURLToPath(new URL("./public/", import.meta.url)), prefix: "/static" }),
  )
  app.use(templates({ dir: fileURLToPath(new URL("./templates/", import.meta.url)) }))
  const middleware = [
    sessions({ secret, store: authSessionStore({ db }) }),
    csrf(),
    auth({ db, loginUrl: "/accounts/login" }),
  ]
  const site = new Blueprint()
  site.use(...middleware)
  site.register(
    authPages({
      db,
      mailer,
      secret,
      site: "Truss demo",
      baseUrl: origin,
      redirectTo: "/tasks",
      secondFactor: (user) => hasTotp(db, user.id),
      passkeys: "/passkeys",
    }),
  )
  site.register(totpRoutes({ db, issuer: "Truss demo", redirectTo: "/tasks", layout }))
  site.register(passkeyRoutes({ db, rpName: "Truss demo", rpID: new URL(origin).hostname, origin }))
  site.register(accountPages(db))
  site.register(taskPages((c) => ormTasks(db, c.user!.id), [requireUser()]))
  site.register(demoAdmin().site({ db, prefix: "/admin", title: "Truss demo admin" }))
  app.register(site)
  installChat(app, middleware, options.backplane)
}
