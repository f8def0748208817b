import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  login,
  User,
  userFromSession,
} from "../../src/auth/index.js"
import {
  confirmTotp,
  hasTotp,
  TotpDeviceModel,
  totpCode,
  totpEnrollment,
  totpRoutes,
} from "../../src/auth/mfa/index.js"
import {
  LinkedAccount,
  oauth2Provider,
  oauthRoutes,
  oidcProvider,
} from "../../src/auth/oidc/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import { type GithubUser, githubServer } from "./oidc-github-server.js"
import { signInAtProvider, startOidcProvider } from "./oidc-support.js"

const APP = "http://app.test"
const GITHUB_USERS: GithubUser[] = [
  {
    id: 501,
    login: "ann-gh",
    email: null,
    emails: [
      { email: "ann@old.example", primary: false, verified: true },
      { email: "Ann@Example.com", primary: true, verified: true },
    ],
  },
  {
    id: 777,
    login: "bob-gh",
    email: "bob@corp.example",
    emails: [{ email: "bob@corp.example", primary: true, verified: true }],
  },
  {
    id: 666,
    login: "eve-gh",
    email: "ann@example.com",
    emails: [{ email: "ann@example.com", primary: true, verified: false }],
  },
]

const idp = await startOidcProvider([`${APP}/auth/idp/callback`], {
  ann: { email: "ann@example.com", verified: true },
  carol: { email: "carol@example.com", verified: true },
})
const github = await githubServer({ id: "gh-client", secret: "gh-secret-gh-secret" }, GITHUB_USERS)
afterAll(async () => {
  idp.close()
  await github.server.close()
})

function makeApp(db: Database): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: "oidc-login-test-secret-0123456789abc", store: memoryStore() }))
  const providers = {
    idp: oidcProvider({
      name: "idp",
      issuer: idp.issuer,
      clientId: "truss",
      clientSecret: "s3cret-s3cret",
      redirectUri: `${APP}/auth/idp/callback`,
      allowHttp: true,
    }),
    github: oauth2Provider({
      name: "github",
      authorizationEndpoint: `${github.url}/login/oauth/authorize`,
      tokenEndpoint: `${github.url}/login/oauth/access_token`,
      userinfoEndpoint: `${github.url}/user`,
      emailsEndpoint: `${github.url}/user/emails`,
      clientId: "gh-client",
      clientSecret: "gh-secret-gh-secret",
      redirectUri: `${APP}/auth/github/callback`,
      allowHttp: true,
    }),
  }
  app.register(oauthRoutes({ db, providers, secondFactor: (u) => hasTotp(db, u.id) }))
  app.register(totpRoutes({ db, issuer: "Truss Test" }))
  app.get("/me", async (c) => ({ email: (await userFromSession(c, db))?.email ?? null }))
  app.post("/login", async (c) => {
    const { email, password } = await c.req.json<{ email: string; password: string }>()
    const user = await authenticate(db, email, password)
    if (user !== undefined) await login(c, user)
    return { ok: user !== undefined }
  })
  return app
}

/** Starts at the app, signs in at the provider through its real redirects, lands on the callback. */
async function signIn(client: TestClient, provider: string, as: string): Promise<Response> {
  const start = await client.get(`/auth/${provider}`)
  expect(start.status).toBe(302)
  const back = await signInAtProvider(start.headers.get("location") ?? "", as, APP)
  return client.get(back.pathname + back.search)
}
const me = async (client: TestClient) =>
  (await (await client.get("/me")).json()) as { email: string | null }
const codeOf = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code]

for (const target of await testDatabases()) {
  if (target.name === "postgres-pipeline" || target.name === "mysql-no-returning") continue
  describe.skipIf(!target.available)(`${target.name}: social login ends in a Truss session`, () => {
    let db: Database
    let drop: () => Promise<void>
    let app: App
    const links = async (email: string) => {
      const user = await db.query(User).filter({ email }).get()
      const rows = await db
        .query(LinkedAccount)
        .filter({ userId: String(user.id) })
        .orderBy("provider")
        .all()
      return rows.map((r) => [r.provider, r.subject])
    }
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [...authModels, LinkedAccount, TotpDeviceModel])
      await createUser(db, { email: "ann@example.com", password: "ann's long passphrase" })
      await createUser(db, { email: "bob@example.com", password: "bob's long passphrase" })
      app = makeApp(db)
    })
    afterAll(() => drop())

    it("OIDC (code + PKCE + state + nonce): links the existing user by verified email and logs her in with a new session id", async () => {
      const client = createClient(app)
      const start = await client.get("/auth/idp")
      const before = await client.cookies()
      const authorize = new URL(start.headers.get("location") ?? "")
      expect(
        ["state", "nonce", "code_challenge"].map(
          (k) => (authorize.searchParams.get(k) ?? "").length > 20,
        ),
      ).toEqual([true, true, true])
      const back = await signInAtProvider(authorize.href, "ann", APP)
      const res = await client.get(back.pathname + back.search)
      expect([res.status, res.headers.get("location")]).toEqual([303, "/"])
      expect(await client.cookies()).not.toEqual(before)
      expect(await me(client)).toEqual({ email: "ann@example.com" })
      expect(await links("ann@example.com")).toEqual([["idp", "ann"]])
    })

    it("plain OAuth 2 (GitHub-style): profile from /user, primary verified email from /user/emails, linked as a second provider", async () => {
      const client = createClient(app)
      const tokensBefore = github.tokenRequests
      const res = await signIn(client, "github", "ann-gh")
      expect([res.status, res.headers.get("location")]).toEqual([303, "/"])
      expect(github.tokenRequests).toBe(tokensBefore + 1)
      expect(await me(client)).toEqual({ email: "ann@example.com" })
      expect(await links("ann@example.com")).toEqual([
        ["github", "501"],
        ["idp", "ann"],
      ])
      // Signing in again finds the link; nothing new is stored.
      const again = createClient(app)
      expect((await signIn(again, "github", "ann-gh")).status).toBe(303)
      expect(await me(again)).toEqual({ email: "ann@example.com" })
      expect(await db.query(LinkedAccount).count()).toBe(2)
    })

    it("links a provider with another email to the signed-in user, who can then sign in with it", async () => {
      const client = createClient(app)
      await client.post("/login", { email: "bob@example.com", password: "bob's long passphrase" })
      const res = await signIn(client, "github", "bob-gh")
      expect([res.status, res.headers.get("location")]).toEqual([303, "/"])
      expect(await me(client)).toEqual({ email: "bob@example.com" })
      expect(await links("bob@example.com")).toEqual([["github", "777"]])
      const fresh = createClient(app)
      expect((await signIn(fresh, "github", "bob-gh")).status).toBe(303)
      expect(await me(fresh)).toEqual({ email: "bob@example.com" })
      // Ann's GitHub account cannot be linked to Bob.
      expect(await codeOf(await signIn(client, "github", "ann-gh"))).toEqual([
        409,
        "TRUSS_ERR_AUTH_OIDC_ALREADY_LINKED",
      ])
    })

    it("never links or makes an account on an unverified email (403), and makes a password-less user for a new verified one", async () => {
      const client = createClient(app)
      expect(await codeOf(await signIn(client, "github", "eve-gh"))).toEqual([
        403,
        "TRUSS_ERR_AUTH_OIDC_EMAIL_UNVERIFIED",
      ])
      expect(await me(client)).toEqual({ email: null })
      expect(await db.query(LinkedAccount).filter({ subject: "666" }).count()).toBe(0)

      expect((await signIn(client, "idp", "carol")).status).toBe(303)
      expect(await me(client)).toEqual({ email: "carol@example.com" })
      const carol = await db.query(User).filter({ email: "carol@example.com" }).get()
      expect(carol.password).toBe("")
      expect(await authenticate(db, "carol@example.com", "")).toBe(undefined)
      expect(await links("carol@example.com")).toEqual([["idp", "carol"]])
    })

    it("sends a social sign-in of a user with TOTP to /mfa/verify, where the code finishes it", async () => {
      const carol = await db.query(User).filter({ email: "carol@example.com" }).get()
      const { secret } = totpEnrollment({ issuer: "Truss Test", account: carol.email })
      await confirmTotp(db, carol.id, secret, totpCode(secret))
      const client = createClient(app)
      const res = await signIn(client, "idp", "carol")
      expect([res.status, res.headers.get("location")]).toEqual([303, "/mfa/verify"])
      expect(await me(client)).toEqual({ email: null })
      const verify = await client.request("/mfa/verify", {
        method: "POST",
        body: new URLSearchParams({ code: totpCode(secret, Date.now() + 30_000) }),
      })
      expect([verify.status, verify.headers.get("location")]).toEqual([303, "/"])
      expect(await me(client)).toEqual({ email: "carol@example.com" })
    })

    it("refuses a GitHub callback of another browser (400 state) and a tampered code (400 callback invalid)", async () => {
      const attacker = createClient(app)
      const start = await attacker.get("/auth/github")
      const back = await signInAtProvider(start.headers.get("location") ?? "", "ann-gh", APP)
      const victim = createClient(app)
      expect(await codeOf(await victim.get(back.pathname + back.search))).toEqual([
        400,
        "TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH",
      ])
      back.searchParams.set("code", "0000")
      expect(await codeOf(await attacker.get(back.pathname + back.search))).toEqual([
        400,
        "TRUSS_ERR_AUTH_OIDC_CALLBACK_INVALID",
      ])
      expect(await me(attacker)).toEqual({ email: null })
    })
  })
}
