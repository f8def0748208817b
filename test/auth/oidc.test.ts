import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import Provider from "oidc-provider"
import { App } from "truss"
import { sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { oidcProvider } from "../../src/auth/oidc/index.js"

const REDIRECT = "http://app.test/auth/idp/callback"

/** A tiny browser for the provider's pages: manual redirects and a cookie jar. */
function browser() {
  const jar = new Map<string, string>()
  return async function go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "))
    const res = await fetch(url, { ...init, headers, redirect: "manual" })
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";")
      const i = pair.indexOf("=")
      jar.set(pair.slice(0, i), pair.slice(i + 1))
    }
    return res
  }
}

describe("OIDC login against a real oidc-provider on loopback", () => {
  let issuer: string
  let close: () => void
  beforeAll(async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined
    const server = createServer((req, res) => handler(req, res))
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "truss",
          client_secret: "s3cret-s3cret",
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      claims: { openid: ["sub"], email: ["email", "email_verified"] },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({ sub: id, email: `${id}@example.com`, email_verified: true }),
      }),
      pkce: { required: () => true },
      // Put scope claims (email) in the ID token, as Google, Microsoft and Keycloak do.
      conformIdTokenClaims: false,
    })
    handler = provider.callback()
    close = () => server.close()
  })
  afterAll(() => close())

  function makeApp() {
    const idp = oidcProvider({
      name: "idp",
      issuer,
      clientId: "truss",
      clientSecret: "s3cret-s3cret",
      redirectUri: REDIRECT,
      allowHttp: true,
    })
    const app = new App({ logger: false })
    app.use(sessions({ secret: "oidc-test-secret-oidc-test-secret-0001" }))
    app.get("/auth/idp", async (c) => c.redirect(await idp.start(c)))
    app.get("/auth/idp/callback", async (c) => {
      const who = await idp.callback(c)
      return {
        provider: who.provider,
        subject: who.subject,
        email: who.email,
        verified: who.emailVerified,
      }
    })
    return app
  }

  /** Follows the provider's redirects, filling its login and consent forms, to the app's callback URL. */
  async function signInAtProvider(authorizeUrl: string, login: string): Promise<URL> {
    const go = browser()
    let res = await go(authorizeUrl)
    for (let hops = 0; hops < 12; hops++) {
      const location = res.headers.get("location")
      if (location !== null) {
        const next = new URL(location, issuer)
        if (next.href.startsWith(REDIRECT)) return next
        res = await go(next.href)
        continue
      }
      const html = await res.text()
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? ""
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? ""
      const form = new URLSearchParams(
        prompt === "login" ? { prompt, login, password: "x" } : { prompt },
      )
      res = await go(new URL(action, issuer).href, {
        method: "POST",
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    }
    throw new Error("the provider never redirected back")
  }

  it("signs in with the code flow, PKCE S256, state and nonce, and returns the verified identity", async () => {
    const client = createClient(makeApp())
    const start = await client.get("/auth/idp")
    const authorize = new URL(start.headers.get("location") ?? "")
    expect([start.status, authorize.origin + authorize.pathname]).toEqual([302, `${issuer}/auth`])
    expect([...authorize.searchParams.keys()].sort()).toEqual([
      "client_id",
      "code_challenge",
      "code_challenge_method",
      "nonce",
      "redirect_uri",
      "response_type",
      "scope",
      "state",
    ])
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256")
    const back = await signInAtProvider(authorize.href, "ann")
    expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"))
    const res = await client.get(back.pathname + back.search)
    expect([res.status, await res.json()]).toEqual([
      200,
      { provider: "idp", subject: "ann", email: "ann@example.com", verified: true },
    ])
  })

  it("refuses a callback whose state is not this browser's with 400 TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH", async () => {
    const victim = createClient(makeApp())
    const app = makeApp()
    const attacker = createClient(app)
    const start = await attacker.get("/auth/idp")
    const back = await signInAtProvider(start.headers.get("location") ?? "", "mallory")
    const res = await victim.get(back.pathname + back.search)
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
      400,
      "TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH",
    ])
  })

  it("refuses a replayed callback (the code and state are spent) with a coded 400", async () => {
    const client = createClient(makeApp())
    const start = await client.get("/auth/idp")
    const back = await signInAtProvider(start.headers.get("location") ?? "", "bob")
    expect((await client.get(back.pathname + back.search)).status).toBe(200)
    const again = await client.get(back.pathname + back.search)
    expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([
      400,
      "TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH",
    ])
  })
})
