import { randomBytes } from "node:crypto"
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../index.js"
import { sendFile } from "./send-file.js"

const dir = mkdtempSync(join(tmpdir(), "truss-send-file-"))
const TEXT = "0123456789abcdefghij" // 20 bytes
const MTIME = new Date("2024-05-06T07:08:09.000Z")
const ETAG = `W/"14-${MTIME.getTime().toString(16)}"`
const LAST_MODIFIED = "Mon, 06 May 2024 07:08:09 GMT"
const LARGE = randomBytes(300_000)

beforeAll(() => {
  writeFileSync(join(dir, "notes.txt"), TEXT)
  writeFileSync(join(dir, "data.bin"), Buffer.from([0, 1, 2, 255]))
  writeFileSync(join(dir, "empty.css"), "")
  writeFileSync(join(dir, "large.bin"), LARGE)
  writeFileSync(join(dir, "Résumé 2024.pdf"), "%PDF")
  mkdirSync(join(dir, "folder"))
  utimesSync(join(dir, "notes.txt"), MTIME, MTIME)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function makeApp(): App {
  const app = new App()
  app.get("/notes", (c) => c.file(join(dir, "notes.txt")))
  app.get("/awaited", async (c) => await c.file(join(dir, "notes.txt")))
  app.get("/cached", (c) => c.file(join(dir, "notes.txt"), { maxAge: 600 }))
  app.get("/immutable", (c) => c.file(join(dir, "notes.txt"), { immutable: true }))
  app.get("/bin", (c) => c.file(join(dir, "data.bin")))
  app.get("/large", (c) => c.file(join(dir, "large.bin")))
  app.get("/slow", async (c) => {
    await new Promise((r) => setTimeout(r, 150))
    return c.file(join(dir, "large.bin"))
  })
  app.get("/empty", (c) => c.file(join(dir, "empty.css")))
  app.get("/missing", (c) => c.file(join(dir, "nope.txt")))
  app.get("/folder", (c) => c.file(join(dir, "folder")))
  app.get("/download", (c) => c.file(join(dir, "notes.txt"), { download: true }))
  app.get("/resume", (c) => sendFile(c, join(dir, "Résumé 2024.pdf"), { download: true }))
  app.get("/typed", (c) => c.file(join(dir, "data.bin"), { contentType: "image/x-test" }))
  app.post("/notes", (c) => c.file(join(dir, "notes.txt")))
  return app
}

const base = {
  "accept-ranges": "bytes",
  "cache-control": "public, max-age=0",
  etag: ETAG,
  "last-modified": LAST_MODIFIED,
}

describe("c.file() through app.request", () => {
  const app = makeApp()
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    app.request(path, { method, headers })

  it("streams the file with its type, length, weak ETag and Last-Modified", async () => {
    const res = await get("/notes")
    expect(res.status).toBe(200)
    expect(Object.fromEntries(res.headers)).toEqual({
      ...base,
      "content-length": "20",
      "content-type": "text/plain; charset=utf-8",
    })
    expect(await res.text()).toBe(TEXT)
  })

  it("works when the handler awaits c.file()", async () => {
    const res = await get("/awaited")
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(TEXT)
  })

  it("sends binary files as application/octet-stream byte for byte", async () => {
    const res = await get("/bin")
    expect(res.headers.get("content-type")).toBe("application/octet-stream")
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255])
  })

  it("uses the contentType option over the extension", async () => {
    expect((await get("/typed")).headers.get("content-type")).toBe("image/x-test")
  })

  it("sends an empty file with Content-Length 0", async () => {
    const res = await get("/empty")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-length")).toBe("0")
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8")
    expect(await res.text()).toBe("")
  })

  it("answers HEAD with the headers and no body", async () => {
    const res = await get("/notes", {}, "HEAD")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-length")).toBe("20")
    expect(res.headers.get("etag")).toBe(ETAG)
    expect(await res.text()).toBe("")
  })

  it("sets Cache-Control from maxAge and immutable", async () => {
    expect((await get("/cached")).headers.get("cache-control")).toBe("public, max-age=600")
    expect((await get("/immutable")).headers.get("cache-control")).toBe(
      "public, max-age=31536000, immutable",
    )
  })

  it("sends Content-Disposition for downloads, with an RFC 5987 name for non-ASCII", async () => {
    expect((await get("/download")).headers.get("content-disposition")).toBe(
      'attachment; filename="notes.txt"',
    )
    expect((await get("/resume")).headers.get("content-disposition")).toBe(
      `attachment; filename="R_sum_ 2024.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf`,
    )
  })

  it("answers 404 TRUSS_ERR_FILE_NOT_FOUND for a missing file and for a directory", async () => {
    for (const path of ["/missing", "/folder"]) {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        code: "TRUSS_ERR_FILE_NOT_FOUND",
        detail: `No file exists for ${path}. Check the URL; only files inside the served folder can be fetched.`,
      })
    }
  })

  describe("conditional requests", () => {
    it("answers a matching If-None-Match with 304 and no body", async () => {
      const res = await get("/notes", { "if-none-match": ETAG })
      expect(res.status).toBe(304)
      expect(Object.fromEntries(res.headers)).toEqual(base)
      expect(await res.text()).toBe("")
    })

    it("matches If-None-Match weakly, in a list, and with *", async () => {
      for (const value of [ETAG.slice(2), `"x", ${ETAG}`, "*"]) {
        expect((await get("/notes", { "if-none-match": value })).status).toBe(304)
      }
    })

    it("answers 200 when If-None-Match differs", async () => {
      const res = await get("/notes", { "if-none-match": 'W/"other"' })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(TEXT)
    })

    it("answers If-Modified-Since at or after Last-Modified with 304, before with 200", async () => {
      expect((await get("/notes", { "if-modified-since": LAST_MODIFIED })).status).toBe(304)
      const later = "Tue, 07 May 2024 00:00:00 GMT"
      expect((await get("/notes", { "if-modified-since": later })).status).toBe(304)
      const earlier = "Mon, 06 May 2024 07:08:08 GMT"
      expect((await get("/notes", { "if-modified-since": earlier })).status).toBe(200)
      expect((await get("/notes", { "if-modified-since": "garbage" })).status).toBe(200)
    })

    it("lets If-None-Match take precedence over If-Modified-Since", async () => {
      const res = await get("/notes", {
        "if-none-match": 'W/"other"',
        "if-modified-since": "Tue, 07 May 2024 00:00:00 GMT",
      })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(TEXT)
    })

    it("answers HEAD conditionals with 304 too", async () => {
      expect((await get("/notes", { "if-none-match": ETAG }, "HEAD")).status).toBe(304)
    })

    it("ignores conditionals and ranges on POST", async () => {
      const res = await get("/notes", { "if-none-match": ETAG, range: "bytes=0-1" }, "POST")
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(TEXT)
    })
  })

  describe("byte ranges", () => {
    const cases: [string, string, string][] = [
      ["bytes=0-4", "bytes 0-4/20", "01234"],
      ["bytes=15-", "bytes 15-19/20", "fghij"],
      ["bytes=-3", "bytes 17-19/20", "hij"],
      ["bytes=18-99", "bytes 18-19/20", "ij"],
      ["bytes=-50", "bytes 0-19/20", TEXT],
      ["bytes=5-5", "bytes 5-5/20", "5"],
    ]
    for (const [range, contentRange, body] of cases) {
      it(`answers ${range} with 206 and Content-Range ${contentRange}`, async () => {
        const res = await get("/notes", { range })
        expect(res.status).toBe(206)
        expect(res.headers.get("content-range")).toBe(contentRange)
        expect(res.headers.get("content-length")).toBe(String(body.length))
        expect(res.headers.get("accept-ranges")).toBe("bytes")
        expect(await res.text()).toBe(body)
      })
    }

    for (const range of ["bytes=20-", "bytes=25-30", "bytes=-0"]) {
      it(`answers ${range} with 416 and Content-Range bytes */20`, async () => {
        const res = await get("/notes", { range })
        expect(res.status).toBe(416)
        expect(res.headers.get("content-range")).toBe("bytes */20")
        expect(res.headers.get("etag")).toBe(null)
        expect(await res.json()).toMatchObject({
          status: 416,
          code: "TRUSS_ERR_RANGE_NOT_SATISFIABLE",
          detail:
            "The Range header asks for bytes outside the 20-byte file. Request a range that starts below byte 20.",
        })
      })
    }

    for (const range of ["bytes=0-1,5-6", "bytes=5-2", "items=0-1", "bytes=abc", "bytes=-"]) {
      it(`answers the whole file with 200 for ${range}`, async () => {
        const res = await get("/notes", { range })
        expect(res.status).toBe(200)
        expect(res.headers.get("content-range")).toBe(null)
        expect(await res.text()).toBe(TEXT)
      })
    }

    it("honours If-Range with the Last-Modified date", async () => {
      const res = await get("/notes", { range: "bytes=0-1", "if-range": LAST_MODIFIED })
      expect(res.status).toBe(206)
      expect(await res.text()).toBe("01")
    })

    it("sends the whole file when If-Range is another date", async () => {
      const res = await get("/notes", {
        range: "bytes=0-1",
        "if-range": "Tue, 07 May 2024 00:00:00 GMT",
      })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(TEXT)
    })

    it("sends the whole file for If-Range with an entity tag (weak tags never match strongly)", async () => {
      for (const tag of [ETAG, ETAG.slice(2)]) {
        const res = await get("/notes", { range: "bytes=0-1", "if-range": tag })
        expect(res.status).toBe(200)
        expect(await res.text()).toBe(TEXT)
      }
    })
  })
})

describe("c.file() over a real socket", () => {
  const app = makeApp()
  let url = ""
  beforeAll(async () => {
    url = (await app.listen({ port: 0, signals: false })).url
  })
  afterAll(() => app.close())

  it("streams the file with the same headers as app.request", async () => {
    const res = await fetch(`${url}/notes`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-length")).toBe("20")
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8")
    expect(res.headers.get("etag")).toBe(ETAG)
    expect(res.headers.get("last-modified")).toBe(LAST_MODIFIED)
    expect(await res.text()).toBe(TEXT)
  })

  it("answers 304, 206, 416 and HEAD on the socket", async () => {
    const notModified = await fetch(`${url}/notes`, { headers: { "if-none-match": ETAG } })
    expect(notModified.status).toBe(304)
    expect(await notModified.text()).toBe("")
    const partial = await fetch(`${url}/notes`, { headers: { range: "bytes=2-4" } })
    expect(partial.status).toBe(206)
    expect(partial.headers.get("content-range")).toBe("bytes 2-4/20")
    expect(await partial.text()).toBe("234")
    const bad = await fetch(`${url}/notes`, { headers: { range: "bytes=99-" } })
    expect(bad.status).toBe(416)
    expect(bad.headers.get("content-range")).toBe("bytes */20")
    await bad.body?.cancel()
    const head = await fetch(`${url}/awaited`, { method: "HEAD" })
    expect(head.status).toBe(200)
    expect(head.headers.get("content-length")).toBe("20")
    expect(await head.text()).toBe("")
  })

  it("streams a file larger than one read chunk, whole and as a range, byte for byte", async () => {
    const whole = await fetch(`${url}/large`)
    expect(whole.headers.get("content-length")).toBe("300000")
    expect(Buffer.from(await whole.arrayBuffer()).equals(LARGE)).toBe(true)
    const part = await fetch(`${url}/large`, { headers: { range: "bytes=100000-250000" } })
    expect(part.status).toBe(206)
    expect(part.headers.get("content-range")).toBe("bytes 100000-250000/300000")
    expect(Buffer.from(await part.arrayBuffer()).equals(LARGE.subarray(100000, 250001))).toBe(true)
  })

  it("survives a client that leaves before the file is ready", async () => {
    const { hostname, port } = new URL(url)
    await new Promise<void>((resolve) => {
      const req = request({ hostname, port, path: "/slow", agent: false })
      req.on("error", () => resolve())
      req.end()
      setTimeout(() => req.destroy(), 30)
    })
    await new Promise((r) => setTimeout(r, 250))
    const res = await fetch(`${url}/notes`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(TEXT)
  })

  it("answers 404 for a missing file on the socket", async () => {
    const res = await fetch(`${url}/missing`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_FILE_NOT_FOUND")
  })
})
