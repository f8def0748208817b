import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { type IncomingHttpHeaders, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type ServeStaticOptions, serveStatic } from "../../index.js"

// Fixtures: <tmp>/secret.txt and <tmp>/outside/ sit next to the root <tmp>/public.
const tmp = mkdtempSync(join(tmpdir(), "truss-static-"))
const root = join(tmp, "public")
const SECRET = "TOP SECRET"
const JS = `export const answer = ${JSON.stringify("forty-two ".repeat(200))}\n`
const JS_BR = brotliCompressSync(JS)
const JS_GZ = gzipSync(JS)
const HOME = "<h1>home</h1>"
const DOCS = "<h1>docs</h1>"

function fixtures(): void {
  writeFileSync(join(tmp, "secret.txt"), SECRET)
  mkdirSync(join(tmp, "outside"))
  writeFileSync(join(tmp, "outside", "secret.txt"), SECRET)
  mkdirSync(join(root, "docs"), { recursive: true })
  mkdirSync(join(root, "empty-dir"))
  mkdirSync(join(root, ".well"))
  writeFileSync(join(root, "index.html"), HOME)
  writeFileSync(join(root, "docs", "index.html"), DOCS)
  writeFileSync(join(root, "docs", "default.htm"), "default")
  writeFileSync(join(root, "app.js"), JS)
  writeFileSync(join(root, "app.js.br"), JS_BR)
  writeFileSync(join(root, "app.js.gz"), JS_GZ)
  writeFileSync(join(root, "style.css"), "body{color:red}")
  writeFileSync(join(root, "style.css.gz"), gzipSync("body{color:red}"))
  writeFileSync(join(root, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  writeFileSync(join(root, "café.txt"), "crème")
  writeFileSync(join(root, ".env"), "SECRET=1")
  writeFileSync(join(root, ".well", "known.txt"), "known")
  symlinkSync(join(tmp, "secret.txt"), join(root, "escape.txt"))
  symlinkSync(join(tmp, "outside"), join(root, "escape-dir"))
  symlinkSync(join(root, "style.css"), join(root, "inner-link.css"))
  symlinkSync(join(tmp, "secret.txt"), join(root, "sneaky.js.br"))
  writeFileSync(join(root, "sneaky.js"), "console.log(1)")
}
fixtures()
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function makeApp(options: Partial<ServeStaticOptions> = {}): App {
  const app = new App()
  app.use(serveStatic({ root, ...options }))
  app.get("/api/hello", () => "hello from a route")
  app.get("/files/:name", (c) => `route got ${c.params.name}`)
  return app
}

interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A request over a real socket with the path sent exactly as written (no URL normalisation). */
function raw(base: string, path: string, headers: Record<string, string> = {}, method = "GET") {
  const { hostname, port } = new URL(base)
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end()
  })
}

const forbidden = (reason: string) => ({
  type: "about:blank",
  title: "Forbidden",
  status: 403,
  code: "TRUSS_ERR_STATIC_PATH_FORBIDDEN",
  detail: `The path was refused because it ${reason}. Request files by their plain path below the static prefix.`,
})
const DOT = 'contains a "." or ".." segment'
const ENCODED_SLASH = "contains an encoded slash or backslash"
const OUTSIDE = "resolves outside the static root"

/** Every traversal variant, sent raw over a socket: [path, reason]. */
const TRAVERSALS: [string, string][] = [
  ["/../secret.txt", DOT],
  ["/docs/../../secret.txt", DOT],
  ["/%2e%2e/secret.txt", DOT],
  ["/%2E%2E/secret.txt", DOT],
  ["/%2e%2E/secret.txt", DOT],
  ["/.%2e/secret.txt", DOT],
  ["/%2e./secret.txt", DOT],
  ["/docs/%2e%2e/%2e%2e/secret.txt", DOT],
  ["/./index.html", DOT],
  ["/..%2fsecret.txt", ENCODED_SLASH],
  ["/..%2Fsecret.txt", ENCODED_SLASH],
  ["/%2e%2e%2fsecret.txt", ENCODED_SLASH],
  ["/..%5csecret.txt", ENCODED_SLASH],
  ["/..%5Csecret.txt", ENCODED_SLASH],
  ["/..\\secret.txt", "contains a backslash"],
  ["/docs\\..\\..\\secret.txt", "contains a backslash"],
  ["/index.html%00.png", "contains a NUL byte"],
  ["/%00", "contains a NUL byte"],
  ["/%252e%252e/secret.txt", "is double-encoded"],
  ["/%252E%252E/secret.txt", "is double-encoded"],
  ["/%252e%252e%252fsecret.txt", "is double-encoded"],
  ["/..%252fsecret.txt", "is double-encoded"],
  ["/%c0%ae%c0%ae/secret.txt", "has malformed percent-encoding"],
  ["//secret.txt", "contains an empty segment (//)"],
  ["/docs//index.html", "contains an empty segment (//)"],
  ["/escape.txt", OUTSIDE],
  ["/escape-dir/secret.txt", OUTSIDE],
]

describe("serveStatic path traversal, raw over a socket", () => {
  const app = makeApp()
  let url = ""
  beforeAll(async () => {
    url = (await app.listen({ port: 0, signals: false })).url
  })
  afterAll(() => app.close())

  for (const [path, reason] of TRAVERSALS) {
    it(`refuses ${path} with 403 TRUSS_ERR_STATIC_PATH_FORBIDDEN (${reason})`, async () => {
      const res = await raw(url, path, { accept: "application/json" })
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body.toString())).toEqual(forbidden(reason))
      expect(res.body.toString()).not.toContain(SECRET)
    })
  }

  it("refuses an absolute-form target with .. like its origin-form path", async () => {
    const res = await raw(url, "http://localhost/../secret.txt", { accept: "application/json" })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body.toString())).toEqual(forbidden(DOT))
  })

  it("refuses a precompressed sibling that is a symlink out of the root", async () => {
    const res = await raw(url, "/sneaky.js", { "accept-encoding": "br" })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body.toString())).toEqual(forbidden(OUTSIDE))
  })

  it("refuses dotfiles and dot-folders with 403 TRUSS_ERR_STATIC_DOTFILE", async () => {
    for (const path of ["/.env", "/.well/known.txt", "/%2eenv"]) {
      const res = await raw(url, path)
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body.toString())).toMatchObject({
        code: "TRUSS_ERR_STATIC_DOTFILE",
        detail:
          'Files and folders whose name starts with "." are not served. Rename the file, or pass serveStatic({ dotfiles: "allow" }).',
      })
    }
  })

  it("lets a matched route answer paths static refuses, without touching the disk", async () => {
    for (const [path, name] of [
      ["/files/a%2Fb", "a/b"],
      ["/files/.env", ".env"],
      ["/files/%252e%252e", "%2e%2e"],
    ]) {
      const res = await raw(url, path!)
      expect(res.status).toBe(200)
      expect(res.body.toString()).toBe(`route got ${name}`)
    }
  })

  it("still serves a symlink that stays inside the root", async () => {
    const res = await raw(url, "/inner-link.css")
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe("body{color:red}")
  })

  it("serves percent-encoded names and precompressed bytes exactly", async () => {
    const cafe = await raw(url, "/caf%C3%A9.txt")
    expect(cafe.status).toBe(200)
    expect(cafe.body.toString()).toBe("crème")
    const br = await raw(url, "/app.js", { "accept-encoding": "gzip, br" })
    expect(br.headers["content-encoding"]).toBe("br")
    expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8")
    expect(br.headers.vary).toBe("Accept-Encoding")
    expect(br.body.equals(JS_BR)).toBe(true)
    expect(brotliDecompressSync(br.body).toString()).toBe(JS)
    const gz = await raw(url, "/app.js", { "accept-encoding": "gzip" })
    expect(gz.headers["content-encoding"]).toBe("gzip")
    expect(gunzipSync(gz.body).toString()).toBe(JS)
  })

  it("redirects a directory without its slash and serves its index with fetch", async () => {
    const redirect = await fetch(`${url}/docs?x=1`, { redirect: "manual" })
    expect(redirect.status).toBe(308)
    expect(redirect.headers.get("location")).toBe("/docs/?x=1")
    const index = await fetch(`${url}/docs/`)
    expect(index.status).toBe(200)
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await index.text()).toBe(DOCS)
  })

  it("falls through to routes and to the app's 404 over the socket", async () => {
    expect(await (await fetch(`${url}/api/hello`)).text()).toBe("hello from a route")
    const missing = await fetch(`${url}/nope.txt`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { code: string }).code).toBe("TRUSS_ERR_NOT_FOUND")
  })
})

describe("serveStatic through app.request", () => {
  const app = makeApp()
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    app.request(path, { method, headers })

  it("serves a file with content type, length, ETag, Last-Modified and Vary", async () => {
    const res = await get("/style.css")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8")
    expect(res.headers.get("content-length")).toBe("15")
    expect(res.headers.get("etag")).toMatch(/^W\/"f-[0-9a-f]+"$/)
    expect(res.headers.get("last-modified")).toMatch(/ GMT$/)
    expect(res.headers.get("cache-control")).toBe("public, max-age=0")
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    expect(await res.text()).toBe("body{color:red}")
  })

  it("serves index.html for / and for a directory with a slash", async () => {
    expect(await (await get("/")).text()).toBe(HOME)
    expect(await (await get("/docs/")).text()).toBe(DOCS)
  })

  it("redirects /docs to /docs/ with 308", async () => {
    const res = await get("/docs")
    expect(res.status).toBe(308)
    expect(res.headers.get("location")).toBe("/docs/")
  })

  it("falls through for a directory without an index", async () => {
    const res = await get("/empty-dir/")
    expect(res.status).toBe(404)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_NOT_FOUND")
  })

  it("refuses the variants that survive URL parsing with 403", async () => {
    const cases: [string, string][] = [
      ["/..%2fsecret.txt", ENCODED_SLASH],
      ["/..%5Csecret.txt", ENCODED_SLASH],
      ["/index.html%00", "contains a NUL byte"],
      ["/%252e%252e/secret.txt", "is double-encoded"],
      ["/docs//index.html", "contains an empty segment (//)"],
      ["/escape.txt", OUTSIDE],
    ]
    for (const [path, reason] of cases) {
      const res = await get(path)
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual(forbidden(reason))
    }
  })

  it("answers a matching If-None-Match with 304", async () => {
    const etag = (await get("/style.css")).headers.get("etag")!
    const res = await get("/style.css", { "if-none-match": etag })
    expect(res.status).toBe(304)
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    expect(await res.text()).toBe("")
  })

  it("answers a Range with 206", async () => {
    const res = await get("/style.css", { range: "bytes=0-3" })
    expect(res.status).toBe(206)
    expect(res.headers.get("content-range")).toBe("bytes 0-3/15")
    expect(await res.text()).toBe("body")
  })

  it("answers HEAD with headers and no body", async () => {
    const res = await get("/style.css", {}, "HEAD")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-length")).toBe("15")
    expect(await res.text()).toBe("")
  })

  describe("precompressed siblings", () => {
    it("prefers .br when both are accepted", async () => {
      const res = await get("/app.js", { "accept-encoding": "gzip, deflate, br" })
      expect(res.headers.get("content-encoding")).toBe("br")
      expect(res.headers.get("content-length")).toBe(String(JS_BR.length))
      const body = Buffer.from(await res.arrayBuffer())
      expect(brotliDecompressSync(body).toString()).toBe(JS)
    })

    it("follows q-values: gzip when br has a lower q or q=0", async () => {
      for (const accept of ["br;q=0.5, gzip", "br;q=0, *"]) {
        const res = await get("/app.js", { "accept-encoding": accept })
        expect(res.headers.get("content-encoding")).toBe("gzip")
        expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(JS)
      }
    })

    it("falls back to .gz when there is no .br", async () => {
      const res = await get("/style.css", { "accept-encoding": "br, gzip" })
      expect(res.headers.get("content-encoding")).toBe("gzip")
      expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8")
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe("body{color:red}")
    })

    it("sends the original without Accept-Encoding, still with Vary", async () => {
      const res = await get("/app.js")
      expect(res.headers.get("content-encoding")).toBe(null)
      expect(res.headers.get("vary")).toBe("Accept-Encoding")
      expect(await res.text()).toBe(JS)
    })

    it("is off with precompressed: false, and then adds no Vary", async () => {
      const res = await makeApp({ precompressed: false }).request("/app.js", {
        headers: { "accept-encoding": "br" },
      })
      expect(res.headers.get("content-encoding")).toBe(null)
      expect(res.headers.get("vary")).toBe(null)
      expect(await res.text()).toBe(JS)
    })
  })

  it("passes other methods on to the routes", async () => {
    const res = await get("/index.html", {}, "POST")
    expect(res.status).toBe(404)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_NOT_FOUND")
  })
})

describe("serveStatic options", () => {
  it("mounts under a prefix and leaves other paths alone", async () => {
    const app = makeApp({ prefix: "/assets/" })
    expect(await (await app.request("/assets/style.css")).text()).toBe("body{color:red}")
    expect((await app.request("/style.css")).status).toBe(404)
    expect((await app.request("/assetsx/style.css")).status).toBe(404)
    const bare = await app.request("/assets")
    expect(bare.status).toBe(308)
    expect(bare.headers.get("location")).toBe("/assets/")
    expect(await (await app.request("/assets/")).text()).toBe(HOME)
  })

  it("answers 404 TRUSS_ERR_FILE_NOT_FOUND instead of falling through when fallthrough is false", async () => {
    const app = makeApp({ prefix: "/api", fallthrough: false })
    const res = await app.request("/api/hello")
    expect(res.status).toBe(404)
    expect(((await res.json()) as { detail: string }).detail).toBe(
      "No file exists for /api/hello. Check the URL; only files inside the served folder can be fetched.",
    )
  })

  it("serves dotfiles with dotfiles: allow, and hides them with ignore", async () => {
    expect(await (await makeApp({ dotfiles: "allow" }).request("/.env")).text()).toBe("SECRET=1")
    const ignored = await makeApp({ dotfiles: "ignore" }).request("/.well/known.txt")
    expect(ignored.status).toBe(404)
    expect(((await ignored.json()) as { code: string }).code).toBe("TRUSS_ERR_NOT_FOUND")
  })

  it("uses the index list in order, and serves no index with index: false", async () => {
    const custom = makeApp({ index: ["missing.html", "default.htm"] })
    expect(await (await custom.request("/docs/")).text()).toBe("default")
    expect((await makeApp({ index: false }).request("/docs/")).status).toBe(404)
  })

  it("sets Cache-Control from maxAge and immutable", async () => {
    const res = await makeApp({ maxAge: 60, immutable: true }).request("/logo.png")
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, immutable")
    expect(res.headers.get("content-type")).toBe("image/png")
  })

  it("throws TRUSS_ERR_INVALID_OPTION when the root is not a directory", () => {
    const missing = join(tmp, "nope")
    expect(() => serveStatic({ root: missing })).toThrow(
      `Option serveStatic root is invalid: "${missing}" is not an existing directory; create it or fix the path.`,
    )
    expect(() => serveStatic({ root, prefix: "assets" })).toThrow(
      'Option serveStatic prefix is invalid: "assets" must start with "/".',
    )
  })
})
