import { App } from "truss"
import { type CorsOptions, cors, securityErrors } from "truss/security"
import { describe, expect, it } from "vitest"

function corsApp(options: CorsOptions): { app: App; calls: string[] } {
  const calls: string[] = []
  const app = new App({ logger: false }).use(cors(options))
  app.get("/items", (c) => {
    calls.push(c.req.method)
    return { items: [] }
  })
  app.options("/custom", (c) => {
    calls.push("OPTIONS")
    return c.text("handler")
  })
  return { app, calls }
}

function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of res.headers) if (k !== "content-type" && k !== "content-length") out[k] = v
  return out
}

const preflight = (origin: string, extra: Record<string, string> = {}) => ({
  method: "OPTIONS",
  headers: { origin, "access-control-request-method": "PUT", ...extra },
})

describe("cors()", () => {
  it('allows any origin with "*" and no Vary', async () => {
    const { app } = corsApp({})
    const res = await app.request("/items", { headers: { origin: "https://a.example" } })
    expect(headersOf(res)).toEqual({ "access-control-allow-origin": "*" })
  })

  it("answers a preflight with 204 and the Allow-* headers, without reaching the handler", async () => {
    const { app, calls } = corsApp({
      origin: ["https://app.example.com"],
      credentials: true,
      headers: ["content-type", "x-csrf-token"],
      maxAge: 600,
    })
    for (const path of ["/items", "/custom", "/no-such-route"]) {
      const res = await app.request(path, preflight("https://app.example.com"))
      expect(res.status).toBe(204)
      expect(await res.text()).toBe("")
      expect(headersOf(res)).toEqual({
        vary: "Origin",
        "access-control-allow-origin": "https://app.example.com",
        "access-control-allow-credentials": "true",
        "access-control-allow-methods": "GET, HEAD, PUT, PATCH, POST, DELETE",
        "access-control-allow-headers": "content-type, x-csrf-token",
        "access-control-max-age": "600",
      })
    }
    expect(calls).toEqual([])
  })

  it("reflects the requested headers when none are configured, varying on them", async () => {
    const { app } = corsApp({ origin: "https://app.example.com", methods: ["GET", "POST"] })
    const res = await app.request(
      "/items",
      preflight("https://app.example.com", { "access-control-request-headers": "x-one, x-two" }),
    )
    expect(headersOf(res)).toEqual({
      vary: "Origin, Access-Control-Request-Headers",
      "access-control-allow-origin": "https://app.example.com",
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "x-one, x-two",
    })
  })

  it("gives a disallowed origin no Allow-* headers, on preflights and requests", async () => {
    const { app, calls } = corsApp({ origin: /^https:\/\/[a-z]+\.example\.com$/ })
    const pre = await app.request("/items", preflight("https://evil.example"))
    expect(pre.status).toBe(204)
    expect(headersOf(pre)).toEqual({ vary: "Origin" })
    const res = await app.request("/items", { headers: { origin: "https://evil.example" } })
    expect(res.status).toBe(200)
    expect(headersOf(res)).toEqual({ vary: "Origin" })
    expect(calls).toEqual(["GET"])
  })

  it("allows origins by RegExp and predicate, and exposes the listed headers", async () => {
    const { app } = corsApp({
      origin: (o) => o.endsWith(".example.com"),
      exposeHeaders: ["ratelimit-remaining", "x-request-id"],
    })
    const res = await app.request("/items", { headers: { origin: "https://b.example.com" } })
    expect(headersOf(res)).toEqual({
      vary: "Origin",
      "access-control-allow-origin": "https://b.example.com",
      "access-control-expose-headers": "ratelimit-remaining, x-request-id",
    })
  })

  it("varies on Origin for requests without an Origin, so caches keep them apart", async () => {
    const { app } = corsApp({ origin: "https://app.example.com" })
    const res = await app.request("/items")
    expect(headersOf(res)).toEqual({ vary: "Origin" })
  })

  it('refuses origin "*" with credentials at setup: TRUSS_ERR_CORS_WILDCARD_CREDENTIALS', () => {
    let error: unknown
    try {
      cors({ origin: "*", credentials: true })
    } catch (err) {
      error = err
    }
    expect(securityErrors.CORS_WILDCARD_CREDENTIALS.is(error)).toBe(true)
    expect((error as Error).message).toBe(
      'cors({ origin: "*", credentials: true }) would let every site read your users\' responses; browsers refuse it too. List the allowed origins: cors({ origin: ["https://app.example.com"], credentials: true }).',
    )
    expect(() => cors({ credentials: true })).toThrow(error as Error)
  })
})
