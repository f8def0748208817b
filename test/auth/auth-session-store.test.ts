import { App } from "truss"
import { sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  AuthSession,
  auth,
  authenticate,
  authModels,
  authSessionStore,
  createUser,
  endUserSessions,
  login,
  User,
} from "../../src/auth/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const PASSWORD = "a long enough passphrase"

for (const target of await testDatabases()) {
  if (target.name === "mysql-no-returning" || target.name === "postgres-pipeline") continue
  describe.skipIf(!target.available)(`${target.name}: authSessionStore()`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    let queries = 0
    beforeAll(async () => {
      ;({ db, drop } = await target.open({ onQuery: () => void queries++ }))
      await createTables(db, [...authModels, AuthSession])
      await createUser(db, { email: "ann@example.com", password: PASSWORD })
      app = new App({ logger: false })
      app.use(
        sessions({
          secret: "session-store-test-secret-0123456789",
          store: authSessionStore({ db }),
        }),
        auth({ db }),
      )
      app.post("/login", async (c) => {
        const user = await authenticate(db, "ann@example.com", PASSWORD)
        if (user) await login(c, user)
        return { ok: user !== undefined }
      })
      app.get("/me", (c) => ({ user: c.user?.email ?? null }))
      app.post("/everywhere", async (c) => ({
        ended: await endUserSessions(db, c.user!.id, c.session.id),
      }))
    })
    afterAll(() => drop())

    async function loggedIn(): Promise<TestClient> {
      const client = createClient(app)
      expect(await (await client.post("/login")).json()).toEqual({ ok: true })
      return client
    }

    it("loads the session and its user in one query per request", async () => {
      const client = await loggedIn()
      queries = 0
      for (let i = 0; i < 5; i++) {
        expect(await (await client.get("/me")).json()).toEqual({ user: "ann@example.com" })
      }
      expect(queries).toBe(5)
      const row = await db
        .query(AuthSession)
        .filter({ userId: (await db.query(User).get()).id })
        .first()
      expect(row?.key).toBe(client.jar.getCookiesSync("http://localhost/")[0]?.value.split(".")[0])
    })

    it("still ends a disabled user's session", async () => {
      const client = await loggedIn()
      await db.query(User).filter({ email: "ann@example.com" }).update({ isActive: false })
      expect(await (await client.get("/me")).json()).toEqual({ user: null })
      await db.query(User).filter({ email: "ann@example.com" }).update({ isActive: true })
      expect(await (await client.get("/me")).json()).toEqual({ user: "ann@example.com" })
    })

    it("logs a user out everywhere but here", async () => {
      const laptop = await loggedIn()
      const phone = await loggedIn()
      const res = await laptop.post("/everywhere")
      expect(((await res.json()) as { ended: number }).ended).toBeGreaterThanOrEqual(1)
      expect(await (await phone.get("/me")).json()).toEqual({ user: null })
      expect(await (await laptop.get("/me")).json()).toEqual({ user: "ann@example.com" })
    })
  })
}
