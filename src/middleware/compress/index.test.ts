import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { type IncomingHttpHeaders, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  createBrotliDecompress,
  createGunzip,
  gunzipSync,
  gzipSync,
} from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type CompressOptions, compress, serveStatic } from "../../index.js"
import { acceptedEncodings } from "./accept-encoding.js"

const dir = mkdtempSync(join(tmpdir(), "truss-compress-"))
const BIG = "Hello, compression! ".repeat(100) // 2000 bytes
const BR = (text: string | Buffer, quality = 4) =>
  brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } })
const GZ = (text: string | Buffer, level = 6) => gzipSync(text, { level })
writeFileSync(join(dir, "big.txt"), BIG)
writeFileSync(join(dir, "small.txt"), "tiny")
writeFileSync(join(dir, "app.js"), BIG)
writeFileSync(join(dir, "app.js.br"), BR(BIG, 11))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part
}

function makeApp(options?: CompressOptions): App {
  const app = new App()
  app.use(compress(options))
  app.get("/big", () => BIG)
  app.get("/exact", () => "x".repeat(1024))
  app.get("/under", () => "x".repeat(1023))
  app.get("/bytes", (c) => c.stream(chunks(BIG), { contentType: "text/plain" }))
  app.get("/u8", (c) => {
    c.header("content-type", "application/json")
    return new TextEncoder().encode(BIG)
  })
  app.get("/web-stream", (c) =>
    c.stream(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("web "))
          controller.enqueue(new TextEncoder().encode("stream"))
          controller.close()
        },
      }),
      { contentType: "text/plain; charset=utf-8" },
    ),
  )
  app.get("/iterable", (c) => c.stream(chunks("a", "b", "c"), { contentType: "text/csv" }))
  app.get("/node-stream", (c) =>
    c.stream(Readable.from([Buffer.from("node "), Buffer.from("stream")]), {
      contentType: "application/javascript",
    }),
  )
  app.get("/file", (c) => c.file(join(dir, "big.txt")))
  app.get("/small-file", (c) => c.file(join(dir, "small.txt")))
  app.get("/encoded", (c) => c.text(BIG, 200, { "content-encoding": "identity" }))
  app.get("/no-transform", (c) => c.text(BIG, 200, { "cache-control": "public, no-transform" }))
  app.get("/png", (c) => c.text(BIG, 200, { "content-type": "image/png" }))
  app.get("/svg", (c) => c.text(BIG, 200, { "content-type": "image/svg+xml" }))
  app.get("/mp4", (c) => c.text(BIG, 200, { "content-type": "video/mp4" }))
  app.get("/zip", (c) => c.text(BIG, 200, { "content-type": "application/zip" }))
  app.get("/woff2", (c) => c.text(BIG, 200, { "content-type": "font/woff2" }))
  app.get("/octet", (c) => c.stream(chunks(BIG)))
  app.get("/untyped", (c) => {
    c.body = BIG
    return c
  })
  app.get("/empty", (c) => {
    c.status = 204
    c.body = null
    return c
  })
  app.get("/strong-etag", (c) => c.text(BIG, 200, { etag: '"v1"', vary: "Origin" }))
  return app
}

const BR_GZ = { "accept-encoding": "gzip, deflate, br" }

describe("compress() through app.request", () => {
  const app = makeApp()
  const get = async (path: string, headers: Record<string, string> = BR_GZ, method = "GET") => {
    const res = await app.request(path, { method, headers })
    return { res, body: Buffer.from(await res.arrayBuffer()) }
  }

  it("compresses a string with Brotli (quality 4) when br and gzip are accepted", async () => {
    const { res, body } = await get("/big")
    expect(res.headers.get("content-encoding")).toBe("br")
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8")
    expect(res.headers.get("content-length")).toBe(String(body.length))
    expect(body.equals(BR(BIG))).toBe(true)
    expect(brotliDecompressSync(body).toString()).toBe(BIG)
  })

  it("compresses with gzip (level 6) when only gzip is accepted", async () => {
    const { res, body } = await get("/big", { "accept-encoding": "gzip" })
    expect(res.headers.get("content-encoding")).toBe("gzip")
    expect(body.equals(GZ(BIG))).toBe(true)
    expect(gunzipSync(body).toString()).toBe(BIG)
  })

  const negotiation: [string, string | null][] = [
    ["gzip, br", "br"],
    ["gzip;q=1, br;q=0.9", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0.5, br;q=0.5", "br"],
    ["*", "br"],
    ["gzip;q=0, *;q=0.1", "br"],
    ["x-gzip", "gzip"],
    ["identity", null],
    ["br;q=0, gzip;q=0", null],
    ["deflate", null],
  ]
  for (const [accept, expected] of negotiation) {
    it(`chooses ${expected ?? "no encoding"} for Accept-Encoding: ${accept}`, async () => {
      const { res, body } = await get("/big", { "accept-encoding": accept })
      expect(res.headers.get("content-encoding")).toBe(expected)
      expect(res.headers.get("vary")).toBe("Accept-Encoding")
      const text =
        expected === "br"
          ? brotliDecompressSync(body)
          : expected === "gzip"
            ? gunzipSync(body)
            : body
      expect(text.toString()).toBe(BIG)
    })
  }

  it("sends identity with Vary when there is no Accept-Encoding", async () => {
    const { res, body } = await get("/big", {})
    expect(res.headers.get("content-encoding")).toBe(null)
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    expect(body.toString()).toBe(BIG)
  })

  it("skips bodies below the threshold and compresses at the threshold", async () => {
    const under = await get("/under")
    expect(under.res.headers.get("content-encoding")).toBe(null)
    expect(under.res.headers.get("vary")).toBe(null)
    expect(under.body.toString()).toBe("x".repeat(1023))
    const exact = await get("/exact")
    expect(exact.res.headers.get("content-encoding")).toBe("br")
    expect(brotliDecompressSync(exact.body).toString()).toBe("x".repeat(1024))
  })

  it("uses the threshold, encodings and level options", async () => {
    const custom = makeApp({ threshold: 0, encodings: ["gzip", "br"], level: 9 })
    const res = await custom.request("/under", { headers: { "accept-encoding": "br, gzip" } })
    expect(res.headers.get("content-encoding")).toBe("gzip")
    expect(Buffer.from(await res.arrayBuffer()).equals(GZ("x".repeat(1023), 9))).toBe(true)
    const brOnly = makeApp({ encodings: ["br"], level: { br: 11 } })
    const br = await brOnly.request("/big", { headers: { "accept-encoding": "gzip, br" } })
    expect(Buffer.from(await br.arrayBuffer()).equals(BR(BIG, 11))).toBe(true)
    const none = await brOnly.request("/big", { headers: { "accept-encoding": "gzip" } })
    expect(none.headers.get("content-encoding")).toBe(null)
  })

  it("compresses Uint8Array bodies", async () => {
    const { res, body } = await get("/u8")
    expect(res.headers.get("content-encoding")).toBe("br")
    expect(brotliDecompressSync(body).toString()).toBe(BIG)
  })

  it("streams web ReadableStream, async-iterable and node-stream bodies through zlib, whatever their size", async () => {
    for (const [path, text] of [
      ["/web-stream", "web stream"],
      ["/iterable", "abc"],
      ["/node-stream", "node stream"],
    ] as const) {
      const br = await get(path)
      expect(br.res.headers.get("content-encoding")).toBe("br")
      expect(br.res.headers.get("content-length")).toBe(null)
      expect(brotliDecompressSync(br.body).toString()).toBe(text)
      const gz = await get(path, { "accept-encoding": "gzip" })
      expect(gz.res.headers.get("content-encoding")).toBe("gzip")
      expect(gunzipSync(gz.body).toString()).toBe(text)
    }
  })

  it("compresses a file from c.file() and drops its Content-Length", async () => {
    const { res, body } = await get("/file", { "accept-encoding": "gzip" })
    expect(res.headers.get("content-encoding")).toBe("gzip")
    expect(res.headers.get("content-length")).toBe(null)
    expect(res.headers.get("etag")).toMatch(/^W\//)
    expect(gunzipSync(body).toString()).toBe(BIG)
    const small = await get("/small-file")
    expect(small.res.headers.get("content-encoding")).toBe(null)
    expect(small.res.headers.get("content-length")).toBe("4")
    expect(small.body.toString()).toBe("tiny")
  })

  it("leaves 206 partial content and 304 responses alone", async () => {
    const partial = await get("/file", { ...BR_GZ, range: "bytes=0-4" })
    expect(partial.res.status).toBe(206)
    expect(partial.res.headers.get("content-encoding")).toBe(null)
    expect(partial.body.toString()).toBe("Hello")
    const etag = partial.res.headers.get("etag")!
    const notModified = await get("/file", { ...BR_GZ, "if-none-match": etag })
    expect(notModified.res.status).toBe(304)
    expect(notModified.res.headers.get("content-encoding")).toBe(null)
  })

  for (const [path, why] of [
    ["/encoded", "Content-Encoding is already set"],
    ["/no-transform", "Cache-Control has no-transform"],
    ["/png", "the type is an image"],
    ["/mp4", "the type is a video"],
    ["/zip", "the type is an archive"],
    ["/woff2", "the type is woff2"],
    ["/octet", "the type is application/octet-stream"],
    ["/untyped", "there is no Content-Type"],
  ] as const) {
    it(`does not compress ${path} because ${why}`, async () => {
      const { res, body } = await get(path)
      expect(res.headers.get("content-encoding")).toBe(path === "/encoded" ? "identity" : null)
      expect(body.toString()).toBe(BIG)
    })
  }

  it("compresses SVG although other images are skipped", async () => {
    const { res, body } = await get("/svg")
    expect(res.headers.get("content-encoding")).toBe("br")
    expect(brotliDecompressSync(body).toString()).toBe(BIG)
  })

  it("skips HEAD and 204", async () => {
    const head = await get("/big", BR_GZ, "HEAD")
    expect(head.res.headers.get("content-encoding")).toBe(null)
    expect(head.res.headers.get("content-length")).toBe("2000")
    const empty = await get("/empty")
    expect(empty.res.status).toBe(204)
    expect(empty.res.headers.get("content-encoding")).toBe(null)
  })

  it("weakens a strong ETag and appends to an existing Vary", async () => {
    const { res } = await get("/strong-etag")
    expect(res.headers.get("etag")).toBe('W/"v1"')
    expect(res.headers.get("vary")).toBe("Origin, Accept-Encoding")
  })

  it("does not compress precompressed files from serveStatic twice", async () => {
    const app2 = new App()
    app2.use(compress())
    app2.use(serveStatic({ root: dir }))
    const res = await app2.request("/app.js", { headers: BR_GZ })
    expect(res.headers.get("content-encoding")).toBe("br")
    expect(res.headers.get("vary")).toBe("Accept-Encoding")
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.equals(BR(BIG, 11))).toBe(true)
  })

  it("rejects unknown encodings and out-of-range levels with TRUSS_ERR_INVALID_OPTION", () => {
    expect(() => compress({ encodings: ["deflate" as "gzip"] })).toThrow(
      'Option compress encodings is invalid: "deflate" is not "br" or "gzip".',
    )
    expect(() => compress({ level: 10 })).toThrow(
      "Option compress level (gzip) is invalid: 10 is not a whole number from 0 to 9.",
    )
    expect(() => compress({ level: { br: 12 } })).toThrow(
      "Option compress level (br) is invalid: 12 is not a whole number from 0 to 11.",
    )
  })
})

describe("acceptedEncodings", () => {
  it("ranks by q-value, then by the supported order", () => {
    expect(acceptedEncodings("gzip;q=0.8, br;q=0.9", ["br", "gzip"])).toEqual(["br", "gzip"])
    expect(acceptedEncodings("gzip, br;q=0.5", ["br", "gzip"])).toEqual(["gzip", "br"])
    expect(acceptedEncodings("GZIP ; Q=1, BR", ["gzip", "br"])).toEqual(["gzip", "br"])
    expect(acceptedEncodings("br;q=abc, gzip", ["br", "gzip"])).toEqual(["gzip"])
    expect(acceptedEncodings(undefined, ["br", "gzip"])).toEqual([])
    expect(acceptedEncodings("", ["br", "gzip"])).toEqual([])
  })
})

interface Streamed {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/** GET over a real socket, decoding the body with zlib as it arrives; `onText` sees the text so far. */
function rawGet(base: string, path: string, accept: string, onText?: (text: string) => void) {
  const { hostname, port } = new URL(base)
  return new Promise<Streamed>((resolve, reject) => {
    const headers = { "accept-encoding": accept }
    const req = request({ hostname, port, path, headers, agent: false }, (res) => {
      const encoding = res.headers["content-encoding"]
      const decoded =
        encoding === "br"
          ? res.pipe(createBrotliDecompress())
          : encoding === "gzip"
            ? res.pipe(createGunzip())
            : res
      let text = ""
      decoded.on("data", (chunk: Buffer) => {
        text += chunk.toString()
        onText?.(text)
      })
      decoded.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }))
      decoded.on("error", reject)
    })
    req.on("error", reject)
    req.end()
  })
}

describe("compress() over a real socket", () => {
  const app = makeApp()
  let release: () => void = () => {}
  const gate = () => new Promise<void>((resolve) => (release = resolve))
  app.get("/events", (c) =>
    c.sse(
      (async function* () {
        const wait = gate()
        yield { event: "first", data: "one" }
        await wait
        yield { data: { n: 2 } }
      })(),
    ),
  )
  let stopSource: (why: string) => void = () => {}
  app.get("/forever", (c) =>
    c.sse(
      (async function* () {
        try {
          for (let i = 0; ; i++) {
            yield { data: i }
            await new Promise((r) => setTimeout(r, 5))
          }
        } finally {
          stopSource("finally ran")
        }
      })(),
    ),
  )
  let url = ""
  beforeAll(async () => {
    url = (await app.listen({ port: 0, signals: false })).url
  })
  afterAll(() => app.close())

  for (const accept of ["br", "gzip"]) {
    it(`sends ${accept} for whole, streamed and file bodies`, async () => {
      for (const path of ["/big", "/bytes", "/file"]) {
        const res = await rawGet(url, path, accept)
        expect(res.status).toBe(200)
        expect(res.headers["content-encoding"]).toBe(accept)
        expect(res.headers.vary).toBe("Accept-Encoding")
        expect(res.text).toBe(BIG)
      }
    })

    it(`flushes each SSE event with ${accept} so it arrives before the stream ends`, async () => {
      let sawFirst = false
      const res = await rawGet(url, "/events", accept, (text) => {
        // The generator waits for release(): without a flush this would never resolve.
        if (!sawFirst && text === "event: first\ndata: one\n\n") {
          sawFirst = true
          release()
        }
      })
      expect(sawFirst).toBe(true)
      expect(res.headers["content-encoding"]).toBe(accept)
      expect(res.headers["content-type"]).toBe("text/event-stream; charset=utf-8")
      expect(res.text).toBe('event: first\ndata: one\n\ndata: {"n":2}\n\n')
    }, 5000)
  }

  it("stops the source when the client goes away mid-stream", async () => {
    const { hostname, port } = new URL(url)
    const stopped = await new Promise<string>((resolve, reject) => {
      stopSource = resolve
      const headers = { "accept-encoding": "gzip" }
      const req = request({ hostname, port, path: "/forever", headers, agent: false }, (res) => {
        res.once("data", () => req.destroy())
      })
      req.on("error", () => {})
      req.end()
      setTimeout(() => reject(new Error("the source was never stopped")), 4000)
    })
    expect(stopped).toBe("finally ran")
  })

  it("fetch decodes what the server compressed", async () => {
    const res = await fetch(`${url}/big`, { headers: { "accept-encoding": "gzip" } })
    expect(res.headers.get("content-encoding")).toBe("gzip")
    expect(await res.text()).toBe(BIG)
  })
})
