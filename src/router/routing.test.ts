import { request as httpRequest } from "node:http"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type AppOptions } from "../app.js"
import type { TrussServer } from "../server/listen.js"
import { FindMyWayRouter } from "./find-my-way-router.js"

/** App-level routing behaviour, run once per router implementation. */
const ROUTERS: [string, AppOptions["router"]][] = [["find-my-way", () => new FindMyWayRouter()]]

describe.each(ROUTERS)("%s router: app routing", (_name, router) => {
  function makeApp(options: AppOptions = {}) {
    const app = new App({ router, ...options })
    app.get("/users", () => ({ list: true }))
    app.get("/users/:id", (c) => ({ id: c.params.id }))
    app.post("/users/:id", (c) => ({ created: c.params.id }))
    app.get("/docs/", () => "docs")
    app.get("/evil.com", () => "a static route named like a host")
    return app
  }

  it("answers 404 with a problem+json body", async () => {
    const res = await makeApp().request("/nope")
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      code: "TRUSS_ERR_NOT_FOUND",
      detail: "No route matches GET /nope.",
    })
  })

  it("answers 405 with the exact Allow header for a known path and another method", async () => {
    const res = await makeApp().request("/users/7", { method: "DELETE" })
    expect(res.status).toBe(405)
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST")
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Method Not Allowed",
      status: 405,
      code: "TRUSS_ERR_METHOD_NOT_ALLOWED",
      detail: "Method DELETE is not allowed here; use one of: GET, HEAD, POST.",
    })
  })

  it("answers 400 TRUSS_ERR_MALFORMED_PATH, not 404, for malformed percent-encoding", async () => {
    const app = makeApp()
    for (const path of ["/users/%E0%A4%A", "/a%zz", "/users/%", "/users/%FF"]) {
      const res = await app.request(path)
      expect(res.status, path).toBe(400)
      expect(res.headers.get("content-type")).toBe("application/problem+json")
      expect(await res.json()).toEqual({
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        code: "TRUSS_ERR_MALFORMED_PATH",
        detail: `The request path ${path} has malformed percent-encoding. Each % must start an escape of two hex digits that decodes to UTF-8, e.g. %C3%A9; send a literal % as %25.`,
      })
    }
    const ok = await app.request("/users/%C3%A9")
    expect(await ok.json()).toEqual({ id: "é" })
  })

  it("answers a malformed path with a 400 HTML page to browsers, before a custom notFound", async () => {
    const app = makeApp()
    app.notFound((c) => c.text("custom 404", 404))
    const res = await app.request("/a%zz", { headers: { accept: "text/html" } })
    expect(res.status).toBe(400)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await res.text()).toContain(
      "<h1>400 Bad Request</h1><p>The request path /a%zz has malformed percent-encoding. Each % must start an escape of two hex digits that decodes to UTF-8, e.g. %C3%A9; send a literal % as %25.</p>",
    )
    expect((await app.request("/nope")).status).toBe(404)
  })

  it("answers HEAD for a GET route with the same headers and no body", async () => {
    const app = makeApp()
    const get = await app.request("/users/7")
    const head = await app.request("/users/7", { method: "HEAD" })
    expect(head.status).toBe(200)
    expect([...head.headers]).toEqual([...get.headers])
    expect(head.headers.get("content-length")).toBe("10")
    expect(await head.text()).toBe("")
    expect(await get.text()).toBe('{"id":"7"}')
  })

  it("lets an explicit HEAD route override the automatic one", async () => {
    const app = new App({ router })
    app.get("/x", () => "get")
    app.head("/x", (c) => c.text("", 200, { "x-head": "own" }))
    const res = await app.request("/x", { method: "HEAD" })
    expect(res.headers.get("x-head")).toBe("own")
  })

  it("lets an explicit HEAD route with other param names override the automatic one", async () => {
    const app = new App({ router })
    app.get("/files/:name", (c) => c.text(`get ${c.params.name}`))
    app.head("/files/:file", (c) => c.text("", 200, { "x-head": c.params.file }))
    const head = await app.request("/files/a.txt", { method: "HEAD" })
    expect(head.status).toBe(200)
    expect(head.headers.get("x-head")).toBe("a.txt")
    expect(await (await app.request("/files/a.txt")).text()).toBe("get a.txt")
  })

  it("answers OPTIONS with 204 and Allow", async () => {
    const res = await makeApp().request("/users/7", { method: "OPTIONS" })
    expect(res.status).toBe(204)
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST")
    expect(await res.text()).toBe("")
  })

  it("redirects to the other slash form with 308 and keeps the query", async () => {
    const app = makeApp()
    const noSlash = await app.request("/docs?x=1&y=2", { redirect: "manual" })
    expect(noSlash.status).toBe(308)
    expect(noSlash.headers.get("location")).toBe("/docs/?x=1&y=2")
    const slash = await app.request("/users/", { redirect: "manual" })
    expect(slash.status).toBe(308)
    expect(slash.headers.get("location")).toBe("/users")
  })

  it("never redirects a //host path to a protocol-relative location", async () => {
    const app = makeApp()
    const res = await app.request("//evil.com/")
    expect(res.status).toBe(404)
    expect(res.headers.get("location")).toBe(null)
  })

  it("answers 404 in strict mode instead of redirecting", async () => {
    const app = makeApp({ trailingSlash: "strict" })
    expect((await app.request("/docs")).status).toBe(404)
    expect((await app.request("/users/")).status).toBe(404)
    expect(await (await app.request("/docs/")).text()).toBe("docs")
  })

  it("serves both forms in ignore mode", async () => {
    const app = makeApp({ trailingSlash: "ignore" })
    const docs = await app.request("/docs")
    expect(docs.status).toBe(200)
    expect(await docs.text()).toBe("docs")
    const users = await app.request("/users/")
    expect(users.status).toBe(200)
    expect(await users.json()).toEqual({ list: true })
  })

  it("answers every generated path with a status, never a crash (property)", async () => {
    const app = makeApp()
    await fc.assert(
      fc.asyncProperty(fc.webPath(), async (path) => {
        const res = await app.fetch(
          new Request(`http://localhost${path.startsWith("/") ? "" : "/"}${path}`),
        )
        expect([200, 308, 404, 405]).toContain(res.status)
      }),
      { numRuns: 300 },
    )
  })

  describe("over a real socket", () => {
    let server: TrussServer
    beforeAll(async () => {
      const app = new App({ router })
      app.get("/guide/intro/", () => "intro")
      app.get("/:page", (c) => c.params.page)
      server = await app.listen({ port: 0, signals: false })
    })
    afterAll(() => server.close())

    function rawGet(path: string): Promise<{ status: number; location: string | undefined }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: server.port, path }, (res) => {
          res.resume()
          resolve({ status: res.statusCode!, location: res.headers.location })
        })
        req.on("error", reject)
        req.end()
      })
    }

    it("answers 400 TRUSS_ERR_MALFORMED_PATH for malformed percent-encoding on the socket", async () => {
      for (const path of ["/%E0%A4%A", "/a%zz", "/guide/%zz/"]) {
        const res = await fetch(`${server.url}${path}`)
        expect(res.status, path).toBe(400)
        expect(res.headers.get("content-type")).toBe("application/problem+json")
        expect(await res.json()).toEqual({
          type: "about:blank",
          title: "Bad Request",
          status: 400,
          code: "TRUSS_ERR_MALFORMED_PATH",
          detail: `The request path ${path} has malformed percent-encoding. Each % must start an escape of two hex digits that decodes to UTF-8, e.g. %C3%A9; send a literal % as %25.`,
        })
      }
      expect(await rawGet("/%C3%A9")).toEqual({ status: 200, location: undefined })
    })

    it("never redirects /\\host/ (which browsers read as //host) to a host", async () => {
      expect(await rawGet("/\\evil.com/")).toEqual({ status: 404, location: undefined })
      expect(await rawGet("//evil.com/")).toEqual({ status: 404, location: undefined })
    })

    it("reduces an absolute-form target to its path, so a redirect never names its host", async () => {
      expect(await rawGet("http://evil.com/guide/intro?a=b")).toEqual({
        status: 308,
        location: "/guide/intro/?a=b",
      })
      expect(await rawGet("http://evil.com/guide/intro/")).toEqual({
        status: 200,
        location: undefined,
      })
    })

    it("redirects a plain path over the socket with 308", async () => {
      expect(await rawGet("/guide/intro?a=b")).toEqual({
        status: 308,
        location: "/guide/intro/?a=b",
      })
    })
  })
})
