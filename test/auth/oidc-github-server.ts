/**
 * A small, real GitHub-style OAuth 2 server for the tests, as a Truss app on loopback:
 * an authorize page with a login form, a token endpoint that checks the client secret,
 * the redirect URI and the PKCE S256 verifier (codes single-use), and `/user` and
 * `/user/emails` APIs behind the bearer token. No discovery, no ID token, like GitHub.
 */
import { createHash, randomBytes } from "node:crypto"
import { App, escapeHtml, type TrussServer } from "truss"

export interface GithubUser {
  readonly id: number
  readonly login: string
  /** The public profile email (GitHub often gives null). */
  readonly email: string | null
  readonly emails: readonly { email: string; primary: boolean; verified: boolean }[]
}

interface Grant {
  user: GithubUser
  redirectUri: string
  challenge: string
}

export async function githubServer(
  client: { id: string; secret: string },
  users: readonly GithubUser[],
): Promise<{ url: string; server: TrussServer; tokenRequests: number }> {
  const codes = new Map<string, Grant>()
  const tokens = new Map<string, GithubUser>()
  const state = { url: "", server: undefined as unknown as TrussServer, tokenRequests: 0 }
  const app = new App({ logger: false })
  app.get("/login/oauth/authorize", (c) => {
    const q = new URL(c.req.url).searchParams
    const hidden = [...q]
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("")
    return c.html(
      `<form method="post" action="/login/oauth/authorize">${hidden}<input name="login"><button>Authorize</button></form>`,
    )
  })
  app.post("/login/oauth/authorize", async (c) => {
    const f = await c.req.form()
    const get = (k: string) => String(f.get(k) ?? "")
    const user = users.find((u) => u.login === get("login"))
    if (get("client_id") !== client.id || user === undefined) return c.text("no such user", 400)
    if (get("code_challenge_method") !== "S256") return c.text("PKCE S256 required", 400)
    const code = randomBytes(10).toString("hex")
    codes.set(code, { user, redirectUri: get("redirect_uri"), challenge: get("code_challenge") })
    const back = new URL(get("redirect_uri"))
    back.searchParams.set("code", code)
    back.searchParams.set("state", get("state"))
    return c.redirect(back.href, 302)
  })
  app.post("/login/oauth/access_token", async (c) => {
    state.tokenRequests++
    const f = await c.req.form()
    const get = (k: string) => String(f.get(k) ?? "")
    const grant = codes.get(get("code"))
    codes.delete(get("code"))
    const verifier = createHash("sha256").update(get("code_verifier")).digest("base64url")
    if (
      get("grant_type") !== "authorization_code" ||
      get("client_id") !== client.id ||
      get("client_secret") !== client.secret ||
      grant === undefined ||
      grant.redirectUri !== get("redirect_uri") ||
      grant.challenge !== verifier
    ) {
      return c.json({ error: "invalid_grant" }, 400)
    }
    const token = `gho_${randomBytes(12).toString("hex")}`
    tokens.set(token, grant.user)
    return c.json({ access_token: token, token_type: "bearer", scope: "read:user,user:email" })
  })
  const bearer = (header: string | undefined) => tokens.get(header?.replace(/^Bearer /, "") ?? "")
  app.get("/user", (c) => {
    const user = bearer(c.req.header("authorization"))
    if (user === undefined) return c.json({ message: "Bad credentials" }, 401)
    return { id: user.id, login: user.login, email: user.email }
  })
  app.get("/user/emails", (c) => {
    const user = bearer(c.req.header("authorization"))
    if (user === undefined) return c.json({ message: "Bad credentials" }, 401)
    return c.json(user.emails)
  })
  state.server = await app.listen({ port: 0, host: "127.0.0.1", signals: false })
  state.url = state.server.url
  return state
}
