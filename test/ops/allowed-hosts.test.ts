import { request } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"

/** One raw HTTP/1.1 request with the given Host header, over a real socket. */
function get(port: number, host: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path: "/", headers: { host } }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (d: string) => {
        body += d
      })
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      )
    })
    req.on("error", reject)
    req.end()
  })
}

describe("allowedHosts", () => {
  const app = new App({ allowedHosts: ["example.com", ".example.org", "[::1]"] }).get(
    "/",
    () => "hi",
  )
  let port = 0
  beforeAll(async () => {
    const server = await app.listen({ port: 0, host: "127.0.0.1" })
    port = server.port
  })
  afterAll(() => app.close())

  it("serves listed hosts, with or without a port, in any case", async () => {
    for (const host of [
      "example.com",
      "EXAMPLE.com:8080",
      "example.org",
      "a.b.example.org",
      "[::1]:3000",
    ]) {
      expect(await get(port, host)).toEqual({
        status: 200,
        type: "text/plain; charset=utf-8",
        body: "hi",
      })
    }
  })

  it("answers 400 problem+json TRUSS_ERR_HOST_NOT_ALLOWED to other hosts", async () => {
    for (const host of ["evil.com", "example.com.evil.com", "badexample.org", "sub.example.com"]) {
      const r = await get(port, host)
      expect(r.status).toBe(400)
      expect(r.type).toBe("application/problem+json")
      expect(JSON.parse(r.body)).toMatchObject({
        status: 400,
        code: "TRUSS_ERR_HOST_NOT_ALLOWED",
        detail: `The Host "${host}" is not in the app's allowedHosts. Add it to new App({ allowedHosts: [...] }) if the app serves it.`,
      })
    }
  })

  it("reads X-Forwarded-Host only from a trusted proxy", async () => {
    const behind = new App({ allowedHosts: ["example.com"], trustProxy: "loopback" }).get(
      "/",
      () => "ok",
    )
    const ok = await behind.request("http://internal:3000/", {
      headers: { host: "internal:3000", "x-forwarded-host": "example.com" },
    })
    expect([ok.status, await ok.text()]).toEqual([200, "ok"])
    const bad = await behind.request("http://example.com/", {
      headers: { host: "example.com", "x-forwarded-host": "evil.com" },
    })
    expect(bad.status).toBe(400)
    const untrusted = new App({ allowedHosts: ["example.com"] }).get("/", () => "ok")
    const r = await untrusted.request("http://example.com/", {
      headers: { host: "example.com", "x-forwarded-host": "evil.com" },
    })
    expect(r.status).toBe(200)
  })

  it("serves every host when unset or with '*'", async () => {
    for (const app of [new App(), new App({ allowedHosts: ["*"] })]) {
      app.get("/", () => "any")
      const r = await app.request("http://whatever.invalid/", {
        headers: { host: "whatever.invalid" },
      })
      expect([r.status, await r.text()]).toEqual([200, "any"])
    }
  })

  it("routeTable describes middleware names and where the route was declared", () => {
    const a = new App().use(async function appWide(_c, next) {
      await next()
    })
    a.get("/x", { name: "x" }, () => "x")
    const [route] = a.routeTable()
    expect(route?.middleware).toEqual(["appWide"])
    expect(route?.location).toMatch(/test\/ops\/allowed-hosts\.test\.ts:\d+:\d+$/)
  })
})
