import { createHash } from "node:crypto"
import { App } from "truss"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  generateJwtKey,
  issueRefreshToken,
  jwtKeys,
  RefreshToken,
  revokeRefreshTokens,
  rotateRefreshToken,
} from "../../src/auth/jwt/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: refresh tokens`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [RefreshToken])
      const keys = jwtKeys({ keys: [await generateJwtKey("k1", "EdDSA")], audience: "api" })
      app = new App({ logger: false })
      // A refresh endpoint as an app writes it: spend the refresh token, return a new pair.
      app.post("/token/refresh", async (c) => {
        const { refresh } = (await c.req.json()) as { refresh: string }
        const next = await rotateRefreshToken(db, refresh)
        return { access: await keys.sign({ sub: next.userId }), refresh: next.token }
      })
    })
    afterAll(() => drop())

    const refresh = (token: string) =>
      app.request("/token/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh: token }),
      })

    it("rotates: each refresh returns a new token of the same family, stored hashed", async () => {
      const first = await issueRefreshToken(db, 5)
      const res = await refresh(first)
      const body = (await res.json()) as { access: string; refresh: string }
      expect([res.status, body.refresh.startsWith("trr_"), body.refresh === first]).toEqual([
        200,
        true,
        false,
      ])
      const rows = await db.query(RefreshToken).filter({ userId: "5" }).orderBy("id").all()
      expect(rows.map((r) => [r.hash, r.usedAt === null, r.revokedAt])).toEqual([
        [createHash("sha256").update(first).digest("hex"), false, null],
        [createHash("sha256").update(body.refresh).digest("hex"), true, null],
      ])
      expect(rows[0]?.family).toBe(rows[1]?.family)
    })

    it("revokes the whole family when a spent refresh token is reused (401 TRUSS_ERR_AUTH_JWT_REFRESH_REUSED)", async () => {
      const first = await issueRefreshToken(db, 6)
      const second = ((await (await refresh(first)).json()) as { refresh: string }).refresh
      const reuse = await refresh(first)
      expect([reuse.status, ((await reuse.json()) as { code: string }).code]).toEqual([
        401,
        "TRUSS_ERR_AUTH_JWT_REFRESH_REUSED",
      ])
      const res = await refresh(second)
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
        401,
        "TRUSS_ERR_AUTH_JWT_REFRESH_INVALID",
      ])
      const rows = await db.query(RefreshToken).filter({ userId: "6" }).all()
      expect(rows.map((r) => r.revokedAt instanceof Date)).toEqual([true, true])
    })

    it("refuses an unknown token and every token after revokeRefreshTokens", async () => {
      const bad = await refresh("trr_nope")
      expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([
        401,
        "TRUSS_ERR_AUTH_JWT_REFRESH_INVALID",
      ])
      const t = await issueRefreshToken(db, 7)
      expect(await revokeRefreshTokens(db, 7)).toBe(1)
      await expect(rotateRefreshToken(db, t)).rejects.toMatchObject({
        code: "TRUSS_ERR_AUTH_JWT_REFRESH_INVALID",
        status: 401,
      })
    })
  })
}
