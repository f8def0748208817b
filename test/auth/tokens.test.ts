import { createHash } from "node:crypto"
import { App } from "truss"
import { csrf } from "truss/security"
import { sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  AccessToken,
  authenticateAccessToken,
  createAccessToken,
  requireScope,
  revokeAccessToken,
  tokenAuth,
} from "../../src/auth/tokens/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

async function problem(res: Response) {
  const body = (await res.json()) as { code: string }
  return [res.status, res.headers.get("content-type"), body.code]
}

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: personal access tokens`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [AccessToken])
      app = new App({ logger: false })
      app.use(
        sessions({ secret: "tokens-test-secret-tokens-test-secret-01" }),
        csrf(),
        tokenAuth(db),
      )
      app.get("/api/me", (c) => ({
        user: c.accessToken?.userId ?? null,
        scopes: c.accessToken?.scopes ?? null,
      }))
      app.post("/api/notes", (c) => ({ saved: true, by: c.accessToken?.userId ?? null }))
      app.get("/start", (c) => {
        c.session.set("user", "ada")
        return { ok: true }
      })
    })
    afterAll(() => drop())

    it("shows the secret once and stores only its sha256, with prefix, scopes and expiry", async () => {
      const { token, row } = await createAccessToken(db, {
        userId: 7,
        name: "ci",
        scopes: ["read"],
        ttl: 3600,
      })
      expect(token).toMatch(/^trs_[\w-]{43}$/)
      const stored = await db.query(AccessToken).get({ id: row.id })
      expect([stored.hash, stored.prefix, stored.userId, stored.scopes, stored.lastUsedAt]).toEqual(
        [createHash("sha256").update(token).digest("hex"), token.slice(0, 12), "7", ["read"], null],
      )
      expect(
        Math.round(((stored.expiresAt?.getTime() ?? 0) - stored.createdAt.getTime()) / 1000),
      ).toBe(3600)
    })

    it("authenticates Authorization: Bearer, sets c.accessToken and stamps last-used", async () => {
      const { token, row } = await createAccessToken(db, {
        userId: 8,
        name: "cli",
        scopes: ["read", "write"],
      })
      const res = await app.request("/api/me", { headers: { authorization: `Bearer ${token}` } })
      expect([res.status, await res.json()]).toEqual([
        200,
        { user: "8", scopes: ["read", "write"] },
      ])
      const stored = await db.query(AccessToken).get({ id: row.id })
      expect(stored.lastUsedAt instanceof Date).toBe(true)
      expect(Math.abs((stored.lastUsedAt?.getTime() ?? 0) - Date.now()) < 60_000).toBe(true)
    })

    it("refuses unknown, revoked and expired tokens with 401 TRUSS_ERR_AUTH_TOKEN_INVALID", async () => {
      const bearer = (t: string) =>
        app.request("/api/me", { headers: { authorization: `Bearer ${t}` } })
      const unknown = `trs_${"x".repeat(43)}`
      expect(await problem(await bearer(unknown))).toEqual([
        401,
        "application/problem+json",
        "TRUSS_ERR_AUTH_TOKEN_INVALID",
      ])
      const { token, row } = await createAccessToken(db, { userId: 9, name: "old" })
      expect(await revokeAccessToken(db, row.id)).toBe(true)
      expect(await revokeAccessToken(db, row.id)).toBe(false)
      expect(await problem(await bearer(token))).toEqual([
        401,
        "application/problem+json",
        "TRUSS_ERR_AUTH_TOKEN_INVALID",
      ])
      const short = await createAccessToken(db, { userId: 9, name: "short", ttl: 60 })
      expect((await authenticateAccessToken(db, short.token)).userId).toBe("9")
      await expect(
        authenticateAccessToken(db, short.token, new Date(Date.now() + 61_000)),
      ).rejects.toMatchObject({
        code: "TRUSS_ERR_AUTH_TOKEN_INVALID",
        status: 401,
      })
    })

    it("exempts bearer requests from CSRF but not cookie-session requests", async () => {
      const { token } = await createAccessToken(db, { userId: 10, name: "api" })
      const viaBearer = await app.request("/api/notes", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{}",
      })
      expect([viaBearer.status, await viaBearer.json()]).toEqual([200, { saved: true, by: "10" }])
      const client = createClient(app)
      expect((await client.get("/start")).status).toBe(200)
      const viaCookie = await client.post("/api/notes", {})
      expect(await problem(viaCookie)).toEqual([
        403,
        "application/problem+json",
        "TRUSS_ERR_CSRF_MISSING",
      ])
    })

    it("refuses a token without the route's scope with 403 TRUSS_ERR_AUTH_TOKEN_SCOPE", async () => {
      const scoped = new App({ logger: false })
      scoped.use(tokenAuth(db), requireScope("write"))
      scoped.get("/api/x", () => ({ ok: true }))
      const ro = await createAccessToken(db, { userId: 11, name: "ro", scopes: ["read"] })
      const rw = await createAccessToken(db, { userId: 11, name: "rw", scopes: ["write"] })
      expect(
        await problem(
          await scoped.request("/api/x", { headers: { authorization: `Bearer ${ro.token}` } }),
        ),
      ).toEqual([403, "application/problem+json", "TRUSS_ERR_AUTH_TOKEN_SCOPE"])
      expect(
        (await scoped.request("/api/x", { headers: { authorization: `Bearer ${rw.token}` } }))
          .status,
      ).toBe(200)
    })
  })
}
