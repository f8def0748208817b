import { createSecretKey } from "node:crypto"
import { exportSPKI, SignJWT, UnsecuredJWT } from "jose"
import { describe, expect, it } from "vitest"
import { generateJwtKey, jwtAuth, jwtKeys } from "../../src/auth/jwt/index.js"
import { App } from "../../src/index.js"

const ISS = "https://api.test"
const AUD = "truss-app"

async function setup(alg: "EdDSA" | "ES256" | "HS256") {
  const key = await generateJwtKey("k1", alg, alg === "HS256" ? "s".repeat(32) : undefined)
  const keys = jwtKeys({ keys: [key], issuer: ISS, audience: AUD, clockSkew: 30 })
  const app = new App()
  app.use(jwtAuth(keys, { jwks: true }))
  app.get("/me", (c) => c.json({ sub: c.jwtClaims?.sub ?? null }))
  const call = (token: string) =>
    app.request("/me", { headers: { authorization: `Bearer ${token}` } })
  return { key, keys, app, call }
}

async function problem(res: Response) {
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    code: ((await res.json()) as { code: string }).code,
  }
}

for (const alg of ["EdDSA", "ES256", "HS256"] as const) {
  describe(`JWT ${alg}`, () => {
    it("signs with kid and alg in the header and verifies the claims", async () => {
      const { keys, call } = await setup(alg)
      const token = await keys.sign({ sub: "42" })
      const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString())
      expect(header).toEqual({ alg, kid: "k1", typ: "JWT" })
      const claims = await keys.verify(token)
      expect([claims.sub, claims.iss, claims.aud, (claims.exp ?? 0) - (claims.iat ?? 0)]).toEqual([
        "42",
        ISS,
        AUD,
        900,
      ])
      const res = await call(token)
      expect([res.status, await res.json()]).toEqual([200, { sub: "42" }])
    })

    it("refuses a token whose signature was changed with 401 TRUSS_ERR_AUTH_JWT_INVALID", async () => {
      const { keys, call } = await setup(alg)
      const token = await keys.sign({ sub: "42" })
      const [h, p] = token.split(".")
      const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "1", iss: ISS, aud: AUD, exp: 9999999999 })).toString("base64url")}.${token.split(".")[2]}`
      expect(await problem(await call(forged))).toEqual({
        status: 401,
        type: "application/problem+json",
        code: "TRUSS_ERR_AUTH_JWT_INVALID",
      })
      expect(p).not.toBe("")
    })
  })
}

describe("JWT bad input", () => {
  it("refuses the none algorithm", async () => {
    const { call } = await setup("EdDSA")
    const token = new UnsecuredJWT({ sub: "1" })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setExpirationTime("1h")
      .encode()
    expect(token.endsWith(".")).toBe(true)
    expect(await problem(await call(token))).toEqual({
      status: 401,
      type: "application/problem+json",
      code: "TRUSS_ERR_AUTH_JWT_INVALID",
    })
  })

  it("refuses an HS256 token signed with a key's public half (algorithm confusion)", async () => {
    const { key, call } = await setup("ES256")
    const secret = createSecretKey(Buffer.from(await exportSPKI(key.publicKey)))
    const token = await new SignJWT({ sub: "1" })
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setExpirationTime("1h")
      .sign(secret)
    expect(await problem(await call(token))).toEqual({
      status: 401,
      type: "application/problem+json",
      code: "TRUSS_ERR_AUTH_JWT_INVALID",
    })
  })

  it("accepts exp within the 30 s leeway and refuses it beyond with TRUSS_ERR_AUTH_JWT_EXPIRED", async () => {
    const { keys, call } = await setup("EdDSA")
    expect((await call(await keys.sign({ sub: "7" }, { ttl: -20 }))).status).toBe(200)
    expect(await problem(await call(await keys.sign({ sub: "7" }, { ttl: -40 })))).toEqual({
      status: 401,
      type: "application/problem+json",
      code: "TRUSS_ERR_AUTH_JWT_EXPIRED",
    })
  })

  it("refuses nbf in the future beyond the leeway with TRUSS_ERR_AUTH_JWT_NOT_YET_VALID", async () => {
    const { keys, call } = await setup("EdDSA")
    const now = Math.floor(Date.now() / 1000)
    expect((await call(await keys.sign({ sub: "7", nbf: now + 20 }))).status).toBe(200)
    expect(await problem(await call(await keys.sign({ sub: "7", nbf: now + 120 })))).toEqual({
      status: 401,
      type: "application/problem+json",
      code: "TRUSS_ERR_AUTH_JWT_NOT_YET_VALID",
    })
  })

  it("refuses a wrong audience and a wrong issuer with TRUSS_ERR_AUTH_JWT_CLAIM_INVALID naming the claim", async () => {
    const { key, call } = await setup("EdDSA")
    const other = jwtKeys({ keys: [key], issuer: ISS, audience: "other-app" })
    const res = await call(await other.sign({ sub: "7" }))
    const body = (await res.json()) as { code: string; detail: string }
    expect([
      res.status,
      body.code,
      body.detail.startsWith('The bearer token\'s "aud" claim'),
    ]).toEqual([401, "TRUSS_ERR_AUTH_JWT_CLAIM_INVALID", true])
    const wrongIss = jwtKeys({ keys: [key], issuer: "https://evil.test", audience: AUD })
    expect(await problem(await call(await wrongIss.sign({ sub: "7" })))).toEqual({
      status: 401,
      type: "application/problem+json",
      code: "TRUSS_ERR_AUTH_JWT_CLAIM_INVALID",
    })
  })
})

describe("JWT key rotation and JWKS", () => {
  it("signs with the new key, still verifies the old one's tokens, and serves both public keys (no HS256 secret)", async () => {
    const old = await generateJwtKey("2026-11", "EdDSA")
    const next = await generateJwtKey("2026-12", "ES256")
    const hs = await generateJwtKey("hs", "HS256")
    const before = jwtKeys({ keys: [old], audience: AUD })
    const oldToken = await before.sign({ sub: "1" })
    const rotated = jwtKeys({
      keys: [next, { kid: old.kid, alg: old.alg, publicKey: old.publicKey }, hs],
      audience: AUD,
    })
    expect((await rotated.verify(oldToken)).sub).toBe("1")
    const newToken = await rotated.sign({ sub: "2" })
    expect(JSON.parse(Buffer.from(newToken.split(".")[0] ?? "", "base64url").toString()).kid).toBe(
      "2026-12",
    )
    const app = new App()
    app.use(jwtAuth(rotated, { jwks: true }))
    const res = await app.request("/.well-known/jwks.json")
    const body = (await res.json()) as {
      keys: { kid: string; alg: string; kty: string; crv: string; use: string }[]
    }
    expect([res.status, res.headers.get("cache-control")]).toEqual([200, "public, max-age=300"])
    expect(body.keys.map((k) => [k.kid, k.alg, k.kty, k.crv, k.use])).toEqual([
      ["2026-12", "ES256", "EC", "P-256", "sig"],
      ["2026-11", "EdDSA", "OKP", "Ed25519", "sig"],
    ])
  })

  it("refuses a token with an unknown kid once its key is removed", async () => {
    const old = await generateJwtKey("gone", "EdDSA")
    const token = await jwtKeys({ keys: [old] }).sign({ sub: "1" })
    const app = new App()
    app.use(jwtAuth(jwtKeys({ keys: [await generateJwtKey("new", "EdDSA")] })))
    app.get("/me", (c) => c.json({ sub: c.jwtClaims?.sub }))
    expect(
      await problem(await app.request("/me", { headers: { authorization: `Bearer ${token}` } })),
    ).toEqual({ status: 401, type: "application/problem+json", code: "TRUSS_ERR_AUTH_JWT_INVALID" })
  })
})
