import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { App } from "truss"
import { cspNonce, secureHeaders } from "truss/security"
import { templates } from "truss/templates"
import { describe, expect, it } from "vitest"

const NONCE = /'nonce-([A-Za-z0-9+/]{22}==)'/

function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of res.headers) if (k !== "content-type" && k !== "content-length") out[k] = v
  return out
}

describe("secureHeaders()", () => {
  const PAGE_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  }

  it("sends a page the default headers, with one nonce per request in script-src and style-src", async () => {
    const app = new App().use(secureHeaders())
    app.get("/", (c) => c.html(`<script nonce="${cspNonce(c)}"></script>`))
    const res = await app.request("/")
    const nonce = (await res.text()).match(/nonce="([^"]+)"/)![1]
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(headersOf(res)).toEqual({
      "content-security-policy": `default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' data:; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`,
      ...PAGE_HEADERS,
    })
    const second = await app.request("/")
    expect(second.headers.get("content-security-policy")?.match(NONCE)?.[1]).not.toBe(nonce)
  })

  it("leaves the nonce out of a page that never asked for one: no inline script runs", async () => {
    const app = new App().use(secureHeaders())
    app.get("/", (c) => c.html("<p>static</p>"))
    expect(headersOf(await app.request("/"))).toEqual({
      "content-security-policy":
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' data:; script-src 'self'; style-src 'self'",
      ...PAGE_HEADERS,
    })
  })

  it("puts the nonce a template read into the page's policy, warm or cold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "truss-nonce-"))
    writeFileSync(join(dir, "page.html"), `<script nonce="{{ cspNonce }}"></script>`)
    const app = new App({ logger: false }).use(secureHeaders(), templates({ dir, debug: false }))
    app.get("/", (c) => c.render("page.html"))
    for (let i = 0; i < 2; i++) {
      const res = await app.request("/")
      const nonce = (await res.text()).match(/nonce="([^"]+)"/)![1]!
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(res.headers.get("content-security-policy")).toContain(
        `script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`,
      )
    }
  })

  it("sends JSON and plain text the minimal data set", async () => {
    const app = new App().use(secureHeaders())
    app.get("/json", () => ({ ok: true }))
    app.get("/text", () => "ok")
    app.get("/problem", (c) =>
      c.json({ title: "x" }, 409, { "content-type": "application/problem+json" }),
    )
    const minimal = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    }
    for (const path of ["/json", "/text", "/problem"]) {
      expect(headersOf(await app.request(path))).toEqual(minimal)
    }
    const https = await app.request("https://example.com/json")
    expect(headersOf(https)).toEqual({
      ...minimal,
      "strict-transport-security": "max-age=31536000; includeSubDomains",
    })
  })

  it("dataResponses: 'full' sends the page set on data responses too", async () => {
    const app = new App().use(secureHeaders({ dataResponses: "full" }))
    app.get("/", (c) => ({ nonce: cspNonce(c) }))
    const res = await app.request("/")
    const { nonce } = (await res.json()) as { nonce: string }
    expect(headersOf(res)).toEqual({
      "content-security-policy": `default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' data:; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`,
      ...PAGE_HEADERS,
    })
  })

  it("keeps a security header the handler set itself", async () => {
    const app = new App().use(secureHeaders())
    app.get("/", (c) => {
      c.header("x-frame-options", "SAMEORIGIN")
      c.header("content-security-policy", "default-src 'self'")
      return c.html("<p>framed</p>")
    })
    const res = await app.request("/")
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN")
    expect(res.headers.get("content-security-policy")).toBe("default-src 'self'")
    expect(res.headers.get("referrer-policy")).toBe("same-origin")
  })

  it("adds Strict-Transport-Security only on HTTPS", async () => {
    const app = new App().use(secureHeaders())
    app.get("/", () => "ok")
    expect(
      (await app.request("https://example.com/")).headers.get("strict-transport-security"),
    ).toBe("max-age=31536000; includeSubDomains")
    expect(
      (await app.request("http://example.com/")).headers.get("strict-transport-security"),
    ).toBe(null)
  })

  it("trusts X-Forwarded-Proto from a trusted proxy for HSTS", async () => {
    const app = new App({ trustProxy: "loopback" }).use(secureHeaders())
    app.get("/", () => "ok")
    const res = await app.request("/", { headers: { "x-forwarded-proto": "https" } })
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains")
  })

  it("takes overrides per header, and false leaves a header out", async () => {
    const app = new App().use(
      secureHeaders({
        contentSecurityPolicy: {
          directives: { "img-src": ["'self'", "https://cdn.example.com"], "style-src": false },
          reportOnly: true,
        },
        strictTransportSecurity: { maxAge: 600, includeSubDomains: false, preload: true },
        xFrameOptions: "SAMEORIGIN",
        referrerPolicy: "no-referrer",
        crossOriginOpenerPolicy: false,
        permissionsPolicy: { geolocation: ["self"], camera: [] },
        xContentTypeOptions: false,
      }),
    )
    app.get("/", (c) => c.html(`<script nonce="${cspNonce(c)}"></script>`))
    const res = await app.request("https://example.com/")
    const csp = res.headers.get("content-security-policy-report-only")!
    expect(csp.replace(NONCE, "'nonce-N'")).toBe(
      "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; img-src 'self' https://cdn.example.com; script-src 'self' 'nonce-N'",
    )
    expect(headersOf(res)).toEqual({
      "content-security-policy-report-only": csp,
      "strict-transport-security": "max-age=600; preload",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
      "permissions-policy": "geolocation=(self), camera=()",
    })
  })

  it("sends a report-only data CSP on JSON when the page policy is report-only", async () => {
    const app = new App().use(
      secureHeaders({ contentSecurityPolicy: { reportOnly: true }, xFrameOptions: "SAMEORIGIN" }),
    )
    app.get("/api", () => ({ ok: true }))
    const res = await app.request("/api")
    expect(headersOf(res)).toEqual({
      "content-security-policy-report-only": "default-src 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
    })
  })

  it("a second secureHeaders() on a route decides that route's headers and keeps the nonce", async () => {
    const app = new App().use(secureHeaders())
    app.get(
      "/embed",
      secureHeaders({
        xFrameOptions: "SAMEORIGIN",
        contentSecurityPolicy: { directives: { "frame-ancestors": ["'self'"] } },
        permissionsPolicy: false,
      }),
      (c) => c.html(cspNonce(c)),
    )
    const res = await app.request("/embed")
    const nonce = await res.text()
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN")
    expect(res.headers.get("permissions-policy")).toBe(null)
    expect(res.headers.get("content-security-policy")).toBe(
      `default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'; img-src 'self' data:; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'`,
    )
  })

  it("keeps the headers on error responses", async () => {
    const app = new App({ logger: false }).use(secureHeaders())
    const res = await app.request("/missing")
    expect(res.status).toBe(404)
    expect(res.headers.get("x-frame-options")).toBe("DENY")
  })

  it("cspNonce() works without secureHeaders(), stable within the request", async () => {
    const app = new App()
    app.get("/", (c) => {
      const first = cspNonce(c)
      const second = cspNonce(c)
      return { same: first === second, length: first.length }
    })
    expect(await (await app.request("/")).json()).toEqual({ same: true, length: 24 })
  })
})
