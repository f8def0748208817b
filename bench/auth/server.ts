/**
 * The auth benchmark's server: one Truss app on SQLite or PostgreSQL (`DB_URL`) with
 * three JSON routes: `/plain` (no middleware), `/session` (database sessions in
 * `authSessionStore()`, no auth) and `/me` (the same sessions + `auth()`, the user
 * loaded). `POST /login` logs the
 * bench user in; `GET /stats` reports the requests and queries so far.
 * `TRUSS_ENTRY` is the compiled `index.js` the runner built.
 * @module
 */
import { dirname, join } from "node:path"

const entry = process.env.TRUSS_ENTRY
if (!entry) throw new Error("TRUSS_ENTRY is required")
const from = (sub: string) => join(dirname(entry), sub, "index.js")
const { App } = (await import(entry)) as typeof import("truss")
const { connect, createTables } = (await import(from("orm"))) as typeof import("truss/orm")
const { sessions } = (await import(from("sessions"))) as typeof import("truss/sessions")
const authModule = (await import(from("auth"))) as typeof import("../../src/auth/index.js")
const { AuthSession, auth, authModels, authSessionStore, authenticate, createUser, login, User } =
  authModule

const EMAIL = "bench@example.com"
const PASSWORD = "a long benchmark passphrase"
let queries = 0
const db = await connect(process.env.DB_URL ?? "sqlite::memory:", {
  poolSize: 10,
  onQuery: () => {
    queries++
  },
})
await createTables(db, [...authModels, AuthSession])
// Sessions in auth_session: read with their user in one query, which auth() then uses.
const store = authSessionStore({ db })
if (!(await db.query(User).filter({ email: EMAIL }).first())) {
  await createUser(db, { email: EMAIL, password: PASSWORD })
}

// Totals: the runner loads one route at a time, so the difference between two reads
// divided by the requests between them is that route's queries per request.
let requests = 0
const app = new App()
app.onRequest(() => {
  requests++
})
app.get("/plain", () => ({ email: EMAIL }))
app.get("/stats", () => ({ requests, queries }))
const withSession = sessions({ secret: "bench-auth-secret-bench-auth-secret-00", store })
app.get("/session", withSession, (c) => ({ email: c.session.isNew ? "anonymous" : EMAIL }))
app.get("/me", withSession, auth({ db }), (c) => ({ email: c.user?.email }))
app.post("/login", withSession, auth({ db }), async (c) => {
  const user = await authenticate(db, EMAIL, PASSWORD)
  if (user) await login(c, user)
  return { ok: user !== undefined }
})

const server = await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" })
console.log(`auth bench server on ${server.port}`)
