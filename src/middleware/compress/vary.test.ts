import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, compress, serveStatic } from "../../index.js"

const dir = mkdtempSync(join(tmpdir(), "truss-compress-vary-"))
const BIG = "Hello, compression! ".repeat(100) // 2000 bytes
writeFileSync(join(dir, "big.txt"), BIG)
writeFileSync(join(dir, "logo.png"), BIG)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BR_GZ = { "accept-encoding": "gzip, deflate, br" }

function makeApp(): App {
  const app = new App()
  app.use(compress())
  app.get("/file", (c) => c.file(join(dir, "big.txt")))
  app.get("/png", (c) => c.file(join(dir, "logo.png")))
  app.get("/origin", (c) => {
    c.header("vary", "Origin")
    return c.file(join(dir, "big.txt"))
  })
  app.get("/no-transform", (c) => {
    c.header("cache-control", "no-transform")
    c.status = 304
    c.body = null
    return c
  })
  app.get("/big", () => BIG)
  app.get("/under", () => "x".repeat(1023))
  app.use(serveStatic({ root: dir, prefix: "/plain", precompressed: false }))
  app.use(serveStatic({ root: dir, prefix: "/static" }))
  return app
}

/** Fetches `path` once for its ETag, then revalidates with If-None-Match. */
async function revalidate(app: App, path: string): Promise<Response> {
  const first = await app.request(path, { headers: BR_GZ })
  await first.arrayBuffer()
  const etag = first.headers.get("etag")!
  return app.request(path, { headers: { ...BR_GZ, "if-none-match": etag } })
}

describe("compress() Vary on responses without a body to encode", () => {
  const app = makeApp()

  it("adds Vary: Accept-Encoding to a 304 from c.file() revalidation", async () => {
    const res = await revalidate(app, "/file")
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    expect(res.headers.get("content-encoding")).toBe(null)
    expect(await res.text()).toBe("")
  })

  it("adds Vary: Accept-Encoding to a serveStatic 304 (ETag revalidation)", async () => {
    const res = await revalidate(app, "/plain/big.txt")
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
  })

  it("keeps a single Accept-Encoding when serveStatic already set it", async () => {
    const res = await revalidate(app, "/static/big.txt")
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
  })

  it("merges with an existing Vary on a 304", async () => {
    const res = await revalidate(app, "/origin")
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe("Origin, Accept-Encoding")
  })

  it("leaves Vary off a 304 that says no-transform", async () => {
    const res = await app.request("/no-transform", { headers: BR_GZ })
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe(null)
  })

  it("gives HEAD the Vary its GET gets, and none when GET would not be compressed", async () => {
    for (const path of ["/big", "/file", "/plain/big.txt"]) {
      const get = await app.request(path, { headers: BR_GZ })
      const head = await app.request(path, { method: "HEAD", headers: BR_GZ })
      expect(get.headers.get("vary"), path).toBe("Accept-Encoding")
      expect(head.status, path).toBe(200)
      expect(head.headers.get("vary"), path).toBe("Accept-Encoding")
      expect(head.headers.get("content-encoding"), path).toBe(null)
    }
    for (const path of ["/under", "/png"]) {
      const head = await app.request(path, { method: "HEAD", headers: BR_GZ })
      expect(head.headers.get("vary"), path).toBe(null)
    }
  })
})

describe("compress() Vary on a 304 over a real socket", () => {
  const app = makeApp()
  let url = ""
  beforeAll(async () => {
    url = (await app.listen({ port: 0, signals: false })).url
  })
  afterAll(() => app.close())

  function rawGet(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; vary: string | undefined; etag: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { headers, agent: false }, (res) => {
        res.resume()
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            vary: res.headers.vary,
            etag: res.headers.etag,
          }),
        )
      })
      req.on("error", reject)
      req.end()
    })
  }

  it("sends Vary: Accept-Encoding with a serveStatic 304", async () => {
    const first = await rawGet("/plain/big.txt", BR_GZ)
    expect(first).toMatchObject({ status: 200, vary: "Accept-Encoding" })
    const again = await rawGet("/plain/big.txt", { ...BR_GZ, "if-none-match": first.etag! })
    expect(again).toEqual({ status: 304, vary: "Accept-Encoding", etag: first.etag })
  })
})
