import { fileURLToPath } from "node:url"
import { App, Blueprint, serveStatic } from "truss"
import { createAdmin } from "truss/admin"
import { auth, authModels, authPages, authSessionStore, requireUser } from "truss/auth"
import { consoleTransport, createMailer, type Mailer } from "truss/mail"
import { health } from "truss/ops"
import type { Database } from "truss/orm"
import { csrf, secureHeaders } from "truss/security"
import { sessions } from "truss/sessions"
import { templates } from "truss/templates"
import { Post } from "./models.js"

/** Options of {@link createApp}. */
export interface SiteOptions {
  /** Error pages with stack traces, templates reloaded on change. @default false */
  debug?: boolean
  /** Signs the session cookie and mailed links: 32+ characters. */
  secret: string
  /** The public origin, for links in password-reset and verification mails. */
  origin: string
  /** Sends the account mails. @default they are printed to stdout */
  mailer?: Mailer
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** The admin at /admin: posts, and the users, groups and permissions of truss/auth. */
function siteAdmin() {
  return createAdmin()
    .register(Post, {
      list: ["title", "published", "createdAt"],
      search: ["title", "body"],
      filters: ["published"],
    })
    .autodiscover(authModels)
}

/**
 * Builds the site on a migrated database: pages from `templates/`, files from `public/`
 * at /static, sessions kept in the database, accounts (sign up, log in, log out,
 * password reset) under /accounts, the admin at /admin for staff, and /healthz.
 */
export function createApp(db: Database, options: SiteOptions): App {
  const app = new App({ debug: options.debug ?? false })
  app.use(secureHeaders())
  app.use(serveStatic({ root: here("../public/"), prefix: "/static" }))
  app.use(templates({ dir: here("../templates/"), debug: options.debug ?? false }))
  app.register(health())

  const site = new Blueprint()
  site.use(
    sessions({ secret: options.secret, store: authSessionStore({ db }) }),
    csrf(),
    auth({ db, loginUrl: "/accounts/login" }),
  )
  site.get("/", { name: "home" }, async (c) => {
    const posts = await db.query(Post).filter({ published: true }).limit(20).all()
    return c.render("home.liquid", {
      posts: posts.map((p) => ({ ...p, date: p.createdAt.toISOString().slice(0, 10) })),
    })
  })
  site.get("/account", { name: "account" }, requireUser(), (c) =>
    c.render("account.liquid", { account: c.user }),
  )
  const mailer =
    options.mailer ??
    createMailer({ transport: consoleTransport(), from: "__NAME__ <noreply@localhost>" })
  site.register(
    authPages({
      db,
      mailer,
      secret: options.secret,
      site: "__NAME__",
      baseUrl: options.origin,
      redirectTo: "/account",
      templates: here("../templates/"),
    }),
  )
  site.register(siteAdmin().site({ db, prefix: "/admin", title: "__NAME__ admin" }))
  app.register(site)
  return app
}
