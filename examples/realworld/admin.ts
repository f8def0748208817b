import { createHmac } from "node:crypto"
import { Blueprint } from "truss"
import { adminModels, createAdmin } from "truss/admin"
import { AuthSession, auth, authModels, authSessionStore } from "truss/auth"
import type { Database } from "truss/orm"
import { sessions } from "truss/sessions"
import type { Vars } from "./auth.js"
import { Article, Comment, Tag, User } from "./models.js"

/** The tables the admin needs besides Conduit's: staff users, their sessions, the change log. */
export const adminTables = [...authModels, AuthSession, ...adminModels]

/**
 * The admin at `/admin` for staff (truss/auth users, `truss createsuperuser`), with its
 * own cookie sessions and auth: the Conduit API under `/api` stays token-only.
 */
export function conduitAdmin(db: Database, secret: string) {
  const admin = createAdmin()
    .register(Article, {
      list: ["title", "author.username", "createdAt"],
      search: ["title", "body"],
      filters: ["author", "createdAt"], // the admin has no many-to-many filter (tags) yet
      ordering: ["-createdAt"],
    })
    .register(User, { list: ["username", "email"], search: ["username", "email"] })
    .register(Comment, { list: ["body", "author.username", "createdAt"], search: ["body"] })
    .register(Tag, { search: ["name"] })
    .autodiscover(authModels)
  // Sessions are signed with a key of their own, derived from the JWT secret.
  const key = createHmac("sha256", secret).update("conduit admin sessions").digest("base64url")
  const store = authSessionStore({ db })
  // admin.site() is typed with the default context variables; it reads none of Conduit's.
  const site = admin.site({
    db,
    prefix: "/admin",
    title: "Conduit admin",
  }) as unknown as Blueprint<Vars>
  return new Blueprint<Vars>()
    .use(sessions({ secret: key, store, cookie: { path: "/admin" } }), auth({ db }))
    .register(site)
}
