/**
 * A real identity provider for the tests (oidc-provider on a loopback port) and a tiny
 * browser that walks its redirects and forms.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import Provider from "oidc-provider"

/** Starts oidc-provider with one confidential client; `accounts` gives each login's email. */
export async function startOidcProvider(
  redirectUris: string[],
  accounts: Record<string, { email: string; verified: boolean }>,
  port = 0,
): Promise<{ issuer: string; close(): void }> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined
  const server = createServer((req, res) => handler(req, res))
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "truss",
        client_secret: "s3cret-s3cret",
        redirect_uris: redirectUris,
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: accounts[id]?.email ?? `${id}@example.com`,
        email_verified: accounts[id]?.verified ?? true,
      }),
    }),
    pkce: { required: () => true },
    conformIdTokenClaims: false,
  })
  handler = provider.callback()
  return { issuer, close: () => server.close() }
}

/** A browser for a provider's pages: manual redirects and a cookie jar. */
export function browser() {
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

/**
 * Follows a provider's redirects from `authorizeUrl`, filling its forms (oidc-provider's
 * login and consent prompts, or a GitHub-style authorize form) as `login`, until it
 * redirects to `appOrigin`; returns that callback URL.
 */
export async function signInAtProvider(
  authorizeUrl: string,
  login: string,
  appOrigin: string,
): Promise<URL> {
  const go = browser()
  let res = await go(authorizeUrl)
  let at = authorizeUrl
  for (let hops = 0; hops < 12; hops++) {
    const location = res.headers.get("location")
    if (location !== null) {
      const next = new URL(location, at)
      if (next.origin === appOrigin) return next
      at = next.href
      res = await go(at)
      continue
    }
    const html = await res.text()
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? ""
    const form = new URLSearchParams()
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(m[1] ?? "", (m[2] ?? "").replaceAll("&amp;", "&").replaceAll("&quot;", '"'))
    }
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
    if (prompt !== undefined) form.set("prompt", prompt)
    if (prompt === undefined || prompt === "login") form.set("login", login)
    if (prompt === "login") form.set("password", "x")
    at = new URL(action.replaceAll("&amp;", "&"), at).href
    res = await go(at, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    })
  }
  throw new Error("the provider never redirected back")
}
