import { describe, expect, it } from "vitest"
import { App, type AppOptions } from "./app.js"
import type { Context } from "./context.js"

/** An app whose single route echoes what `c.req` saw. */
function echoApp(options: AppOptions = {}) {
  const app = new App({ logger: false, ...options })
  app.all("/*", (c: Context) => ({
    method: c.req.method,
    path: c.req.path,
    search: c.req.search,
    tags: c.req.query.getAll("tag"),
    page: c.req.query.get("page"),
    agent: c.req.header("user-agent") ?? null,
    multi: c.req.headers.get("x-multi"),
    cookies: c.req.cookies,
    ip: c.req.ip ?? null,
    protocol: c.req.protocol,
    secure: c.req.secure,
    host: c.req.host,
    url: c.req.url,
  }))
  return app
}

async function seen(app: App, path: string, init: RequestInit = {}, peer?: string) {
  const req = new Request(`http://localhost${path}`, init)
  const res =
    peer === undefined ? await app.fetch(req) : await app.fetch(req, { remoteAddress: peer })
  return (await res.json()) as Record<string, unknown>
}

describe("c.req", () => {
  it("exposes method, raw path, search, multi-valued query, headers and cookies", async () => {
    const headers = new Headers({ "user-agent": "vitest", cookie: "sid=abc; theme=dark%20blue" })
    headers.append("x-multi", "a")
    headers.append("x-multi", "b")
    const body = await seen(echoApp(), "/a%20b/c?tag=x&tag=y&page=2&empty=", {
      method: "PATCH",
      headers,
    })
    expect(body).toEqual({
      method: "PATCH",
      path: "/a%20b/c",
      search: "tag=x&tag=y&page=2&empty=",
      tags: ["x", "y"],
      page: "2",
      agent: "vitest",
      multi: "a, b",
      cookies: { sid: "abc", theme: "dark blue" },
      ip: null,
      protocol: "http",
      secure: false,
      host: "localhost",
      url: "http://localhost/a%20b/c?tag=x&tag=y&page=2&empty=",
    })
  })

  it("gives an empty search and query when there is no query string", async () => {
    const body = await seen(echoApp(), "/plain")
    expect([body.search, body.tags, body.page, body.url]).toEqual([
      "",
      [],
      null,
      "http://localhost/plain",
    ])
  })

  it("uses 127.0.0.1 as the peer for app.request(), with a path or a Request", async () => {
    const app = echoApp()
    const fromPath = (await (await app.request("/")).json()) as { ip: string }
    const fromRequest = (await (
      await app.request(new Request("http://localhost/r"), { method: "PUT" })
    ).json()) as { ip: string; method: string }
    expect([fromPath.ip, fromRequest.ip, fromRequest.method]).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      "PUT",
    ])
  })

  describe("ip with trustProxy", () => {
    const xff = { "x-forwarded-for": "203.0.113.9, 10.1.1.1" }
    const cases: [string, AppOptions["trustProxy"], string, string][] = [
      ["false ignores X-Forwarded-For", false, "10.0.0.1", "10.0.0.1"],
      ["true takes the left-most address", true, "10.0.0.1", "203.0.113.9"],
      ["a hop count trusts that many proxies", 1, "10.0.0.1", "10.1.1.1"],
      ["2 hops reach the client", 2, "10.0.0.1", "203.0.113.9"],
      ["a CIDR list skips trusted hops", ["10.0.0.0/8"], "10.0.0.1", "203.0.113.9"],
      ["a CIDR list ignores an untrusted peer", ["10.0.0.0/8"], "198.51.100.4", "198.51.100.4"],
      ["a single address string", "10.0.0.1", "10.0.0.1", "10.1.1.1"],
      ["loopback", "loopback", "127.0.0.1", "10.1.1.1"],
    ]
    it.each(cases)("%s", async (_name, trustProxy, peer, expected) => {
      const body = await seen(echoApp({ trustProxy }), "/", { headers: xff }, peer)
      expect(body.ip).toBe(expected)
    })

    it("uses the peer when there is no X-Forwarded-For", async () => {
      const body = await seen(echoApp({ trustProxy: true }), "/", {}, "10.0.0.1")
      expect(body.ip).toBe("10.0.0.1")
    })
  })

  describe("protocol and host behind proxies", () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "example.com" }

    it("believes X-Forwarded-Proto and -Host from a trusted proxy", async () => {
      const body = await seen(
        echoApp({ trustProxy: "loopback" }),
        "/p?q=1",
        { headers: forwarded },
        "127.0.0.1",
      )
      expect([body.protocol, body.secure, body.host, body.url]).toEqual([
        "https",
        true,
        "example.com",
        "https://example.com/p?q=1",
      ])
    })

    it("ignores them from an untrusted peer", async () => {
      const body = await seen(
        echoApp({ trustProxy: "loopback" }),
        "/p",
        { headers: forwarded },
        "203.0.113.5",
      )
      expect([body.protocol, body.secure, body.host, body.url]).toEqual([
        "http",
        false,
        "localhost",
        "http://localhost/p",
      ])
    })

    it("ignores them when trustProxy is off", async () => {
      const body = await seen(echoApp(), "/p", { headers: forwarded }, "127.0.0.1")
      expect([body.protocol, body.host]).toEqual(["http", "localhost"])
    })

    it("reports https for a request that arrived over https", async () => {
      const res = await echoApp().fetch(new Request("https://secure.test/x"))
      const body = (await res.json()) as Record<string, unknown>
      expect([body.protocol, body.secure, body.url]).toEqual([
        "https",
        true,
        "https://secure.test/x",
      ])
    })
  })

  it("keeps a valid incoming x-request-id as c.id and generates 32 random hex digits otherwise", async () => {
    const app = new App({ logger: false })
    app.get("/", (c) => c.id)
    const kept = await app.request("/", { headers: { "x-request-id": "abc-123" } })
    expect(await kept.text()).toBe("abc-123")
    const bad = await app.request("/", { headers: { "x-request-id": "has space\u0001" } })
    const id = await bad.text()
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    const ids = await Promise.all(Array.from({ length: 300 }, () => app.request("/")))
    const texts = await Promise.all(ids.map((r) => r.text()))
    // 300 ids cross a refill of the random pool (256 ids per 4 KiB): all distinct.
    expect(new Set([id, ...texts]).size).toBe(301)
  })
})
