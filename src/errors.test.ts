import { describe, expect, it } from "vitest"
import { App } from "./app.js"
import { defineError, HttpError, TrussError } from "./errors.js"

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
const RID = { "x-request-id": "req-1" }

function failingApp(debug: boolean) {
  const app = new App({ logger: false, debug })
  app.get("/crash", () => {
    throw new Error("password=hunter2 leaked", { cause: new Error("socket hang up") })
  })
  app.get("/missing", () => {
    throw new HttpError(404, "No article with that slug", { code: "ARTICLE_NOT_FOUND" })
  })
  return app
}

describe("error responses", () => {
  it("answers problem+json to Accept: application/json", async () => {
    const res = await failingApp(false).request("/missing", {
      headers: { accept: "application/json" },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      code: "ARTICLE_NOT_FOUND",
      detail: "No article with that slug",
    })
  })

  it("answers problem+json when there is no Accept header", async () => {
    const res = await failingApp(false).request("/missing")
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(((await res.json()) as { code: string }).code).toBe("ARTICLE_NOT_FOUND")
  })

  it("answers an HTML page to browsers", async () => {
    const res = await failingApp(false).request("/missing", { headers: { accept: BROWSER } })
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const html = await res.text()
    expect(html.startsWith("<!doctype html>")).toBe(true)
    expect(html).toContain("<title>404 Not Found</title>")
    expect(html).toContain(
      '<h1>404 Not Found</h1><p>No article with that slug</p><p><a href="/">Home</a></p>',
    )
  })

  it("hides a 5xx message, stack and cause from API clients without debug", async () => {
    const res = await failingApp(false).request("/crash", { headers: RID })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      code: "TRUSS_ERR_INTERNAL",
      detail:
        "An unexpected error occurred. The server log has the details under this request's id.",
      requestId: "req-1",
    })
    expect(text).not.toContain("hunter2")
    expect(text).not.toContain("socket hang up")
  })

  it("hides a 5xx message from browsers without debug", async () => {
    const res = await failingApp(false).request("/crash", { headers: { accept: BROWSER } })
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain(
      "<h1>500 Internal Server Error</h1><p>Something went wrong on our side. Please try again in a moment.</p>",
    )
    expect(html).not.toContain("hunter2")
    expect(html).not.toContain("at ")
  })

  it("shows message, stack and cause as JSON with debug: true", async () => {
    const res = await failingApp(true).request("/crash", { headers: RID })
    const body = (await res.json()) as Record<string, unknown> & { stack: string[] }
    expect(body.code).toBe("TRUSS_ERR_INTERNAL")
    expect(body.detail).toBe("password=hunter2 leaked")
    expect(body.requestId).toBe("req-1")
    expect(body.stack[0]).toBe("Error: password=hunter2 leaked")
    expect(body.stack[1]).toMatch(/^ {4}at .*src\/errors\.test\.ts:\d+:\d+\)?$/)
    expect(String(body.cause).startsWith("Error: socket hang up\n    at ")).toBe(true)
  })

  it("shows the developer page to browsers with debug: true", async () => {
    const res = await failingApp(true).request("/crash?x=1", {
      headers: { accept: BROWSER, authorization: "Bearer secret-token", "x-trace": "<b>" },
    })
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain("<title>500 TRUSS_ERR_INTERNAL</title>")
    expect(html).toContain("<h1>500 TRUSS_ERR_INTERNAL</h1><p>password=hunter2 leaked</p>")
    expect(html).toMatch(
      /<h2>Stack<\/h2><pre>Error: password=hunter2 leaked\n {4}at .*errors\.test\.ts/,
    )
    expect(html).toContain("<h2>Request</h2><p>GET /crash?x=1</p>")
    expect(html).toContain("<tr><td>authorization</td><td>[redacted]</td></tr>")
    expect(html).toContain("<tr><td>x-trace</td><td>&lt;b&gt;</td></tr>")
    expect(html).not.toContain("secret-token")
  })

  it("exposes a 5xx HttpError message only with expose: true", async () => {
    const app = new App({ logger: false })
    app.get("/maint", () => {
      throw new HttpError(503, "Down for maintenance until 10:00", {
        code: "MAINTENANCE",
        expose: true,
        headers: { "retry-after": "600" },
      })
    })
    app.get("/hidden", () => {
      throw new HttpError(502, "upstream at 10.0.0.5 failed")
    })
    const maint = await app.request("/maint", { headers: RID })
    expect(maint.status).toBe(503)
    expect(maint.headers.get("retry-after")).toBe("600")
    expect(await maint.json()).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      code: "MAINTENANCE",
      detail: "Down for maintenance until 10:00",
      requestId: "req-1",
    })
    const hidden = await app.request("/hidden", { headers: RID })
    expect(await hidden.json()).toEqual({
      type: "about:blank",
      title: "Bad Gateway",
      status: 502,
      code: "TRUSS_ERR_INTERNAL",
      detail:
        "An unexpected error occurred. The server log has the details under this request's id.",
      requestId: "req-1",
    })
  })

  it("hides a 4xx HttpError message with expose: false", async () => {
    const app = new App({ logger: false })
    app.get("/", () => {
      throw new HttpError(403, "user 7 lacks role admin", { expose: false })
    })
    const body = (await (await app.request("/")).json()) as Record<string, unknown>
    expect(body).toEqual({
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      code: "TRUSS_ERR_INTERNAL",
      detail:
        "An unexpected error occurred. The server log has the details under this request's id.",
    })
  })

  it("gives HttpError a status-derived code and reason phrase by default", () => {
    const err = new HttpError(418)
    expect(err).toBeInstanceOf(TrussError)
    expect([err.name, err.code, err.message, err.status, err.expose]).toEqual([
      "HttpError",
      "TRUSS_ERR_HTTP_I_M_A_TEAPOT",
      "I'm a Teapot",
      418,
      true,
    ])
    const cause = new Error("inner")
    expect(new HttpError(500, "x", { cause }).cause).toBe(cause)
    expect(new HttpError(500).expose).toBe(false)
  })

  it("merges problem+json extensions of exposed errors", async () => {
    const app = new App({ logger: false })
    app.get("/", () => {
      throw new HttpError(422, "Invalid input", {
        code: "VALIDATION",
        extensions: { errors: [{ path: "email", message: "required" }] },
      })
    })
    expect(await (await app.request("/")).json()).toEqual({
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      code: "VALIDATION",
      detail: "Invalid input",
      errors: [{ path: "email", message: "required" }],
    })
  })

  it("makes coded errors with defineError and refuses a code defined twice", () => {
    const QUOTA = defineError(
      "TRUSS_ERR_TEST_QUOTA",
      (p: { limit: number }) => `Quota of ${p.limit} reached: raise the plan's limit.`,
      429,
    )
    const err = QUOTA({ limit: 10 })
    expect([err.code, err.message, err.status]).toEqual([
      "TRUSS_ERR_TEST_QUOTA",
      "Quota of 10 reached: raise the plan's limit.",
      429,
    ])
    expect(QUOTA.is(err)).toBe(true)
    expect(QUOTA.is(new Error("x"))).toBe(false)
    expect(() => defineError("TRUSS_ERR_TEST_QUOTA", "again")).toThrow(
      new Error("Error code TRUSS_ERR_TEST_QUOTA is defined twice"),
    )
  })
})
