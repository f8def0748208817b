import { describe, expect, it } from "vitest"
import { cacheControl, etag, formatCacheControl } from "../../src/cache/index.js"
import { App } from "../../src/index.js"

describe("etag()", () => {
  const app = new App()
  app.use(etag())
  let runs = 0
  app.get("/doc", () => {
    runs++
    return "hello"
  })
  app.get("/own", (c) => {
    c.header("etag", 'W/"v7"')
    return "own"
  })

  it("sends a strong ETag and answers a matching If-None-Match with an empty 304", async () => {
    const first = await app.request("/doc")
    const tag = first.headers.get("etag")
    expect(first.status).toBe(200)
    // sha1("hello"), base64url, 27 characters
    expect(tag).toBe('"qvTGHdzF6KLavt4PO0gs2a6pQ00"')
    const second = await app.request("/doc", { headers: { "if-none-match": `"x", ${tag}` } })
    expect(second.status).toBe(304)
    expect(await second.text()).toBe("")
    const third = await app.request("/doc", { headers: { "if-none-match": '"other"' } })
    expect(third.status).toBe(200)
    expect(await third.text()).toBe("hello")
    expect(runs).toBe(3)
  })

  it("uses the handler's own ETag and compares weakly", async () => {
    const res = await app.request("/own", { headers: { "if-none-match": '"v7"' } })
    expect(res.status).toBe(304)
    expect(res.headers.get("etag")).toBe('W/"v7"')
  })
})

describe("Cache-Control helpers", () => {
  it("formats directives in a fixed order", () => {
    expect(formatCacheControl({ maxAge: 60, public: true, staleWhileRevalidate: 30 })).toBe(
      "public, max-age=60, stale-while-revalidate=30",
    )
    expect(formatCacheControl({ private: true, noStore: true })).toBe("private, no-store")
  })

  it("sets the header on the response", async () => {
    const app = new App()
    app.get("/x", (c) => {
      cacheControl(c, { public: true, maxAge: 86400, immutable: true })
      return "x"
    })
    const res = await app.request("/x")
    expect(res.headers.get("cache-control")).toBe("public, immutable, max-age=86400")
  })
})
