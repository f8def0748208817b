import { connect, type Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../app.js"
import type { TrussServer } from "../server/listen.js"

/** What a raw client saw: the bytes of the response, and how many body bytes it got to send. */
interface Outcome {
  response: string
  sent: number
  closedBy: "server" | "timeout"
}

/**
 * Sends request headers, then body chunks every `intervalMs` until the server answers
 * and closes, or `maxChunks` were sent. Bounded in count and time.
 */
function slowUpload(
  port: number,
  head: string,
  chunk: Buffer,
  frame: (chunk: Buffer) => Buffer,
  maxChunks: number,
  intervalMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1")
    let response = ""
    let sent = 0
    let chunks = 0
    let done = false
    const finish = (closedBy: Outcome["closedBy"]) => {
      if (done) return
      done = true
      clearInterval(timer)
      clearTimeout(deadline)
      socket.destroy()
      resolve({ response, sent, closedBy })
    }
    socket.setEncoding("latin1")
    socket.on("data", (d: string) => {
      response += d
    })
    socket.on("error", () => {})
    socket.on("close", () => finish("server"))
    socket.write(head)
    const timer = setInterval(() => {
      if (chunks >= maxChunks || socket.destroyed || !socket.writable) return
      socket.write(frame(chunk))
      chunks++
      sent += chunk.length
    }, intervalMs)
    const deadline = setTimeout(() => finish("timeout"), 8000)
  })
}

describe("body limits over a real socket", () => {
  let server: TrussServer
  let handled = 0
  beforeAll(async () => {
    const app = new App({ logger: false })
    app.post("/upload", { bodyLimit: 64 * 1024 }, async (c) => {
      handled++
      return { size: (await c.req.arrayBuffer()).byteLength }
    })
    server = await app.listen({ port: 0, signals: false })
  })
  afterAll(() => server.close())

  const KB16 = Buffer.alloc(16 * 1024, 0x61)

  it("answers 413 to a too-large Content-Length and closes without reading the rest", async () => {
    const head =
      "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n" +
      `Content-Length: ${10 * 1024 * 1024}\r\n\r\n`
    // 200 chunks × 16 KiB would be 3.2 MiB; the server must answer long before that.
    const out = await slowUpload(server.port, head, KB16, (c) => c, 200, 10)
    expect(out.closedBy).toBe("server")
    expect(out.response.startsWith("HTTP/1.1 413 Payload Too Large\r\n")).toBe(true)
    expect(out.response).toContain("\r\nconnection: close\r\n")
    expect(
      out.response.endsWith(
        '"code":"TRUSS_ERR_BODY_TOO_LARGE","detail":"The request body is larger than the limit of 65536 bytes. Send less, or raise the route\'s bodyLimit."}',
      ),
    ).toBe(true)
    expect(out.sent).toBeLessThan(200 * KB16.length)
  })

  it("answers 413 to a chunked body once it passes the limit, while the client is still sending", async () => {
    const head =
      "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n" +
      "Transfer-Encoding: chunked\r\n\r\n"
    const chunked = (c: Buffer) =>
      Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from("\r\n")])
    const out = await slowUpload(server.port, head, KB16, chunked, 200, 10)
    expect(out.closedBy).toBe("server")
    expect(out.response.startsWith("HTTP/1.1 413 Payload Too Large\r\n")).toBe(true)
    expect(out.response).toContain('"code":"TRUSS_ERR_BODY_TOO_LARGE"')
    // The limit is 64 KiB: the server answered after about 5 chunks, not 200.
    expect(out.sent).toBeLessThan(40 * KB16.length)
  })

  it("still serves a body within the limit on the same server", async () => {
    const res = await fetch(`${server.url}/upload`, {
      method: "POST",
      body: new Uint8Array(1000),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ size: 1000 })
    expect(handled).toBeGreaterThanOrEqual(3)
  })
})

describe("an abandoned multipart stream over a real socket", () => {
  it("discards the rest of the body, so later requests and close() are not held up", async () => {
    const app = new App({ logger: false })
    app.post("/first", async (c) => {
      for await (const part of c.req.parts()) return { first: part.name }
      return { first: null }
    })
    app.get("/ok", () => "ok")
    const server = await app.listen({ port: 0, signals: false })
    const form = new FormData()
    form.append("title", "big upload")
    form.append("big", new File([new Uint8Array(3 * 1024 * 1024)], "big.bin"))
    const res = await fetch(`${server.url}/first`, { method: "POST", body: form })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ first: "title" })
    expect(await (await fetch(`${server.url}/ok`)).text()).toBe("ok")
    const before = performance.now()
    await app.close()
    expect(performance.now() - before).toBeLessThan(2000)
  })
})
