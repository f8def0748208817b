import { describe, expect, it } from "vitest"
import { App } from "../app.js"
import type { Part } from "./multipart.js"

const JSON_HEADERS = { "content-type": "application/json" }

function post(app: App, path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return app.request(path, { method: "POST", body, headers })
}

async function problem(res: Response) {
  const body = (await res.json()) as { code: string; detail: string }
  return [res.status, body.code, body.detail]
}

function bodyApp() {
  const app = new App({ logger: false, debug: true })
  app.post("/json", async (c) => ({ got: await c.req.json() }))
  app.post("/text", async (c) => c.req.text())
  app.post("/bytes", async (c) => {
    const buf = await c.req.arrayBuffer()
    return { size: buf.byteLength, first: new Uint8Array(buf)[0] ?? null }
  })
  app.post("/form", async (c) => {
    const form = await c.req.form()
    const out: Record<string, unknown> = {}
    for (const [key, value] of form) {
      out[key] =
        typeof value === "string"
          ? value
          : { name: value.name, type: value.type, text: await value.text() }
    }
    return out
  })
  app.post("/twice", async (c) => {
    const json = await c.req.json()
    const text = await c.req.text()
    return { json, text }
  })
  app.post("/parts-after-text", async (c) => {
    await c.req.text()
    c.req.parts()
    return "unreachable"
  })
  app.post("/text-after-parts", async (c) => {
    c.req.parts()
    return c.req.text()
  })
  app.post("/small", { bodyLimit: 8 }, async (c) => c.req.text())
  app.post("/one-file", { multipart: { files: 1 } }, async (c) => [...(await c.req.form()).keys()])
  app.post("/tiny-file", { multipart: { fileSize: 10 } }, async (c) => [
    ...(await c.req.form()).keys(),
  ])
  app.post("/parts", async (c) => {
    const seen: unknown[] = []
    for await (const part of c.req.parts()) seen.push(await describePart(part))
    return seen
  })
  return app
}

async function describePart(part: Part) {
  if (part.kind === "field") return { field: part.name, value: part.value }
  let bytes = 0
  for await (const chunk of part.stream) bytes += (chunk as Buffer).length
  return { file: part.name, filename: part.filename, type: part.type, bytes }
}

function upload() {
  const form = new FormData()
  form.append("title", "Report")
  form.append("doc", new File(["hello world"], "a.txt", { type: "text/plain" }))
  form.append("tag", "x")
  form.append("img", new File([new Uint8Array(3000)], "b.bin", { type: "image/png" }))
  return form
}

describe("body readers", () => {
  it("parses JSON, including +json types", async () => {
    const app = bodyApp()
    const res = await post(app, "/json", '{"a":[1,2]}', JSON_HEADERS)
    expect(await res.json()).toEqual({ got: { a: [1, 2] } })
    const problemJson = await post(app, "/json", '"s"', {
      "content-type": "application/merge-patch+json; charset=utf-8",
    })
    expect(await problemJson.json()).toEqual({ got: "s" })
  })

  it("reads text and bytes", async () => {
    const app = bodyApp()
    expect(await (await post(app, "/text", "héllo")).text()).toBe("héllo")
    expect(await (await post(app, "/bytes", new Uint8Array([7, 8, 9]))).json()).toEqual({
      size: 3,
      first: 7,
    })
    expect(await (await app.request("/bytes", { method: "POST" })).json()).toEqual({
      size: 0,
      first: null,
    })
  })

  it("returns the same body when read as json and then as text", async () => {
    const res = await post(bodyApp(), "/twice", '{ "a": 1 }', JSON_HEADERS)
    expect(await res.json()).toEqual({ json: { a: 1 }, text: '{ "a": 1 }' })
  })

  it("answers 400 TRUSS_ERR_INVALID_JSON for malformed JSON", async () => {
    const res = await post(bodyApp(), "/json", '{"a":', JSON_HEADERS)
    expect(await problem(res)).toEqual([
      400,
      "TRUSS_ERR_INVALID_JSON",
      "The request body is not valid JSON: Unexpected end of JSON input.",
    ])
  })

  it("answers 415 when the Content-Type does not fit the reader", async () => {
    const app = bodyApp()
    expect(await problem(await post(app, "/json", "{}", { "content-type": "text/plain" }))).toEqual(
      [
        415,
        "TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE",
        'Expected a application/json body but Content-Type is "text/plain". Send the matching Content-Type header.',
      ],
    )
    expect(await problem(await post(app, "/form", "{}", JSON_HEADERS))).toEqual([
      415,
      "TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE",
      'Expected a application/x-www-form-urlencoded or multipart/form-data body but Content-Type is "application/json". Send the matching Content-Type header.',
    ])
    expect(
      await problem(
        await post(app, "/parts", "a=1", { "content-type": "application/x-www-form-urlencoded" }),
      ),
    ).toEqual([
      415,
      "TRUSS_ERR_UNSUPPORTED_MEDIA_TYPE",
      'Expected a multipart/form-data body but Content-Type is "application/x-www-form-urlencoded". Send the matching Content-Type header.',
    ])
  })

  it("parses urlencoded forms", async () => {
    const body = new URLSearchParams({ name: "Ada Lovelace", lang: "en" })
    expect(await (await post(bodyApp(), "/form", body)).json()).toEqual({
      name: "Ada Lovelace",
      lang: "en",
    })
  })

  it("parses multipart forms with files", async () => {
    const res = await post(bodyApp(), "/form", upload())
    const body = (await res.json()) as Record<string, { text: string }>
    expect(body.title).toBe("Report")
    expect(body.tag).toBe("x")
    expect(body.doc).toEqual({ name: "a.txt", type: "text/plain", text: "hello world" })
    expect(body.img).toEqual({ name: "b.bin", type: "image/png", text: "\u0000".repeat(3000) })
  })

  it("gives an empty file input (no file chosen) an empty name, as browsers' FormData does", async () => {
    const boundary = "----truss-empty"
    const raw =
      `--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename=""\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n\r\n--${boundary}--\r\n`
    const res = await bodyApp().request("/parts", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body: raw,
    })
    expect(await res.json()).toEqual([
      { file: "doc", filename: "", type: "application/octet-stream", bytes: 0 },
    ])
  })

  it("streams multipart parts in order with c.req.parts()", async () => {
    const res = await post(bodyApp(), "/parts", upload())
    expect(await res.json()).toEqual([
      { field: "title", value: "Report" },
      { file: "doc", filename: "a.txt", type: "text/plain", bytes: 11 },
      { field: "tag", value: "x" },
      { file: "img", filename: "b.bin", type: "image/png", bytes: 3000 },
    ])
  })

  it("refuses parts() after a buffering reader, and the reverse, with TRUSS_ERR_BODY_CONSUMED", async () => {
    const consumed = [
      500,
      "TRUSS_ERR_BODY_CONSUMED",
      "The request body was already read as a stream. Read it once: use c.req.parts() or one of json()/text()/form(), not both.",
    ]
    const app = bodyApp()
    expect(await problem(await post(app, "/parts-after-text", upload()))).toEqual(consumed)
    expect(await problem(await post(app, "/text-after-parts", upload()))).toEqual(consumed)
  })
})

describe("body limits", () => {
  const tooLarge = (limit: number) => [
    413,
    "TRUSS_ERR_BODY_TOO_LARGE",
    `The request body is larger than the limit of ${limit} bytes. Send less, or raise the route's bodyLimit.`,
  ]

  it("answers 413 when Content-Length exceeds the limit", async () => {
    const app = new App({ logger: false, bodyLimit: 16 })
    app.post("/", async (c) => c.req.text())
    const res = await post(app, "/", "x".repeat(17))
    expect(res.headers.get("connection")).toBe("close")
    expect(await problem(res)).toEqual(tooLarge(16))
    expect(await (await post(app, "/", "x".repeat(16))).text()).toBe("x".repeat(16))
  })

  it("answers 413 from a declared Content-Length without reading the body", async () => {
    const app = new App({ logger: false, bodyLimit: 16 })
    app.post("/", async (c) => c.req.text())
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        if (pulls > 50) return controller.close()
        controller.enqueue(new Uint8Array(1))
      },
    })
    const init = { method: "POST", body, duplex: "half", headers: { "content-length": "100000" } }
    const res = await app.request("/", init as RequestInit)
    expect(await problem(res)).toEqual(tooLarge(16))
    // Only the stream's own start-up pull: the server never read from it.
    expect(pulls).toBe(1)
  })

  it("answers 413 for a streamed body without Content-Length that exceeds the limit", async () => {
    const app = new App({ logger: false, bodyLimit: 1000 })
    app.post("/", async (c) => c.req.text())
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10) return controller.close()
        sent++
        controller.enqueue(new Uint8Array(300))
      },
    })
    const res = await app.request("/", { method: "POST", body, duplex: "half" } as RequestInit)
    expect(await problem(res)).toEqual(tooLarge(1000))
    expect(sent).toBeLessThan(10)
  })

  it("applies a per-route bodyLimit", async () => {
    const app = bodyApp()
    expect(await problem(await post(app, "/small", "123456789"))).toEqual(tooLarge(8))
    expect(await (await post(app, "/small", "12345678")).text()).toBe("12345678")
    expect(await (await post(app, "/text", "123456789")).text()).toBe("123456789")
  })

  it("applies the body limit to urlencoded forms", async () => {
    const app = new App({ logger: false, bodyLimit: 10 })
    app.post("/", async (c) => Object.fromEntries(await c.req.form()))
    expect(await problem(await post(app, "/", new URLSearchParams({ a: "1234567890" })))).toEqual(
      tooLarge(10),
    )
  })

  it("answers 413 TRUSS_ERR_MULTIPART_LIMIT past the file count", async () => {
    const res = await post(bodyApp(), "/one-file", upload())
    expect(res.headers.get("connection")).toBe("close")
    expect(await problem(res)).toEqual([
      413,
      "TRUSS_ERR_MULTIPART_LIMIT",
      "The upload exceeds the file count limit of 1. Send less, or raise the multipart limits.",
    ])
  })

  it("answers 413 TRUSS_ERR_MULTIPART_LIMIT past the file size", async () => {
    const res = await post(bodyApp(), "/tiny-file", upload())
    expect(await problem(res)).toEqual([
      413,
      "TRUSS_ERR_MULTIPART_LIMIT",
      "The upload exceeds the file size limit of 10. Send less, or raise the multipart limits.",
    ])
  })

  it("answers 413 past the multipart field count and field size", async () => {
    const app = new App({ logger: false, multipart: { fields: 2, fieldSize: 5 } })
    app.post("/", async (c) => [...(await c.req.form()).keys()])
    const many = new FormData()
    for (const k of ["a", "b", "c"]) many.append(k, "1")
    expect(await problem(await post(app, "/", many))).toEqual([
      413,
      "TRUSS_ERR_MULTIPART_LIMIT",
      "The upload exceeds the field count limit of 2. Send less, or raise the multipart limits.",
    ])
    const big = new FormData()
    big.append("a", "123456")
    expect(await problem(await post(app, "/", big))).toEqual([
      413,
      "TRUSS_ERR_MULTIPART_LIMIT",
      "The upload exceeds the field size limit of 5. Send less, or raise the multipart limits.",
    ])
  })

  it("answers 400 TRUSS_ERR_INVALID_FORM for a multipart body without a boundary", async () => {
    const res = await post(bodyApp(), "/form", "x", { "content-type": "multipart/form-data" })
    const [status, code] = await problem(res)
    expect([status, code]).toEqual([400, "TRUSS_ERR_INVALID_FORM"])
  })
})
