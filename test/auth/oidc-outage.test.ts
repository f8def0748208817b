import { createServer } from "node:net"
import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { describe, expect, it } from "vitest"
import { oauth2Provider, oidcProvider } from "../../src/auth/oidc/index.js"
import { githubServer } from "./oidc-github-server.js"
import { signInAtProvider, startOidcProvider } from "./oidc-support.js"

const APP = "http://app.test"

/** A loopback port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

function appWith(provider: ReturnType<typeof oidcProvider>, name: string): App {
  const app = new App({ logger: false })
  app.use(sessions({ secret: "oidc-outage-test-secret-0123456789abc", store: memoryStore() }))
  app.get(`/auth/${name}`, async (c) => c.redirect(await provider.start(c)))
  app.get(`/auth/${name}/callback`, async (c) => ({
    subject: (await provider.callback(c)).subject,
  }))
  return app
}

const code = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code]

describe("an unreachable provider", () => {
  it("gives 502 PROVIDER_UNAVAILABLE while the issuer is down, and signs in once it is up (discovery is retried)", async () => {
    const port = await freePort()
    const idp = oidcProvider({
      name: "idp",
      issuer: `http://127.0.0.1:${port}`,
      clientId: "truss",
      clientSecret: "s3cret-s3cret",
      redirectUri: `${APP}/auth/idp/callback`,
      allowHttp: true,
    })
    const client = createClient(appWith(idp, "idp"))
    expect(await code(await client.get("/auth/idp"))).toEqual([
      502,
      "TRUSS_ERR_AUTH_OIDC_PROVIDER_UNAVAILABLE",
    ])
    const up = await startOidcProvider([`${APP}/auth/idp/callback`], {}, port)
    try {
      const start = await client.get("/auth/idp")
      expect(start.status).toBe(302)
      const back = await signInAtProvider(start.headers.get("location") ?? "", "dan", APP)
      const res = await client.get(back.pathname + back.search)
      expect([res.status, await res.json()]).toEqual([200, { subject: "dan" }])
    } finally {
      up.close()
    }
  })

  it("gives 502 when a GitHub-style server goes away between the redirect and the callback", async () => {
    const gh = await githubServer({ id: "gh", secret: "gh-secret" }, [
      {
        id: 9,
        login: "dan",
        email: null,
        emails: [{ email: "dan@example.com", primary: true, verified: true }],
      },
    ])
    const github = oauth2Provider({
      name: "github",
      authorizationEndpoint: `${gh.url}/login/oauth/authorize`,
      tokenEndpoint: `${gh.url}/login/oauth/access_token`,
      userinfoEndpoint: `${gh.url}/user`,
      emailsEndpoint: `${gh.url}/user/emails`,
      clientId: "gh",
      clientSecret: "gh-secret",
      redirectUri: `${APP}/auth/github/callback`,
      allowHttp: true,
    })
    const client = createClient(appWith(github, "github"))
    const start = await client.get("/auth/github")
    const back = await signInAtProvider(start.headers.get("location") ?? "", "dan", APP)
    await gh.server.close()
    expect(await code(await client.get(back.pathname + back.search))).toEqual([
      502,
      "TRUSS_ERR_AUTH_OIDC_PROVIDER_UNAVAILABLE",
    ])
  })
})
