import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  login,
  markAuthenticated,
} from "../../src/auth/index.js"
import { Passkey, passkeyRoutes } from "../../src/auth/passkeys/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const RP = { rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }

async function answer(res: Response): Promise<[number, string | undefined]> {
  return [res.status, ((await res.json()) as { code?: string }).code]
}

for (const target of await testDatabases()) {
  if (target.name === "postgres-pipeline" || target.name === "mysql-no-returning") continue
  describe.skipIf(!target.available)(`${target.name}: passkey endpoints refuse bad input`, () => {
    let db: Database
    let drop: () => Promise<void>
    let client: TestClient
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [...authModels, Passkey])
      await createUser(db, { email: "ann@example.com", password: "ann's long passphrase" })
      const app = new App({ logger: false })
      app.use(sessions({ secret: "passkey-unit-test-secret-0123456789ab", store: memoryStore() }))
      app.post("/login", async (c) => {
        const { minutesAgo } = await c.req
          .json<{ minutesAgo?: number }>()
          .catch(() => ({ minutesAgo: 0 }))
        const user = await authenticate(db, "ann@example.com", "ann's long passphrase")
        if (user !== undefined) await login(c, user)
        markAuthenticated(c, Date.now() - (minutesAgo ?? 0) * 60_000)
        return { ok: user !== undefined }
      })
      app.register(passkeyRoutes({ db, ...RP }))
      client = createClient(app)
    })
    afterAll(() => drop())

    it("gives registration options for the signed-in user: rp, user handle, discoverable, challenge", async () => {
      await client.post("/login")
      const res = await client.post("/passkeys/register/options")
      const o = (await res.json()) as {
        rp: { id: string; name: string }
        user: { id: string; name: string }
        challenge: string
        attestation: string
        authenticatorSelection: { residentKey: string; userVerification: string }
      }
      expect([res.status, o.rp, o.user.name, o.attestation, o.authenticatorSelection]).toEqual([
        200,
        { id: "localhost", name: "Acme" },
        "ann@example.com",
        "none",
        { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
      ])
      expect(Buffer.from(o.user.id, "base64url").toString()).toBe("1")
      expect(o.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    })

    it("refuses a malformed registration answer with 400 REGISTRATION_FAILED, then a second try with CHALLENGE_MISSING", async () => {
      await client.post("/passkeys/register/options")
      expect(
        await answer(await client.post("/passkeys/register", { id: "x", response: {} })),
      ).toEqual([400, "TRUSS_ERR_AUTH_PASSKEY_REGISTRATION_FAILED"])
      expect(
        await answer(await client.post("/passkeys/register", { id: "x", response: {} })),
      ).toEqual([400, "TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING"])
      expect(await db.query(Passkey).count()).toBe(0)
    })

    it("refuses login answers: no ceremony (400), a ceremony of another kind (400), an unknown or malformed credential (401)", async () => {
      expect(await answer(await client.post("/passkeys/login", { id: "abc" }))).toEqual([
        400,
        "TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING",
      ])
      await client.post("/passkeys/register/options")
      expect(await answer(await client.post("/passkeys/login", { id: "abc" }))).toEqual([
        400,
        "TRUSS_ERR_AUTH_PASSKEY_CHALLENGE_MISSING",
      ])
      await client.post("/passkeys/login/options")
      expect(
        await answer(await client.post("/passkeys/login", { id: "unknown-credential" })),
      ).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_INVALID"])
      await client.post("/passkeys/login/options")
      const bad = await client.post("/passkeys/login", "not json", {
        headers: { "content-type": "application/json" },
      })
      expect(await answer(bad)).toEqual([401, "TRUSS_ERR_AUTH_PASSKEY_INVALID"])
    })

    it("lists the user's passkeys, refuses removing one not theirs with 404, and needs a recent sign-in to add or remove", async () => {
      const list = await client.get("/passkeys")
      expect([list.status, await list.json()]).toEqual([200, { passkeys: [] }])
      expect(await answer(await client.delete("/passkeys/nope"))).toEqual([
        404,
        "TRUSS_ERR_AUTH_PASSKEY_NOT_FOUND",
      ])
      await client.post("/login", { minutesAgo: 11 })
      expect(await answer(await client.post("/passkeys/register/options"))).toEqual([
        401,
        "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
      ])
      expect(await answer(await client.delete("/passkeys/nope"))).toEqual([
        401,
        "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
      ])
      expect((await client.get("/passkeys")).status).toBe(200)
    })
  })
}
