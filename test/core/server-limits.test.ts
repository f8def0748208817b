import { connect } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import type { TrussServer } from "../../src/server/listen.js"

interface Seen {
  response: string
  ms: number
}

/** Writes `first`, then `drip` every 100 ms; resolves when the server closes (at most 5 s). */
function rawClient(port: number, first: string, drip?: string): Promise<Seen> {
  return new Promise((resolve) => {
    const started = performance.now()
    const socket = connect(port, "127.0.0.1")
    let response = ""
    const finish = () => {
      clearInterval(timer)
      clearTimeout(deadline)
      socket.destroy()
      resolve({ response, ms: performance.now() - started })
    }
    socket.setEncoding("latin1")
    socket.on("data", (d: string) => {
      response += d
    })
    socket.on("error", () => {})
    socket.on("close", finish)
    socket.write(first)
    const timer = setInterval(() => {
      if (drip !== undefined && socket.writable) socket.write(drip)
    }, 100)
    const deadline = setTimeout(finish, 5000)
  })
}

describe("server limits (slowloris and oversized headers)", () => {
  let server: TrussServer
  beforeAll(async () => {
    const app = new App({ logger: false })
    app.get("/", () => "root")
    app.post("/", async (c) => c.req.text())
    server = await app.listen({
      port: 0,
      signals: false,
      headersTimeout: 300,
      requestTimeout: 800,
      keepAliveTimeout: 300,
      maxHeaderSize: 4096,
    })
  })
  afterAll(() => server.close())

  it("answers 408 and closes when the headers do not arrive within headersTimeout", async () => {
    const seen = await rawClient(server.port, "GET / HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n")
    expect(seen.response.startsWith("HTTP/1.1 408 Request Timeout\r\n")).toBe(true)
    expect(seen.ms).toBeGreaterThanOrEqual(250)
    expect(seen.ms).toBeLessThan(2000)
  })

  it("answers 408 and closes when a body dribbles past requestTimeout", async () => {
    const head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
    const seen = await rawClient(server.port, head, "a")
    expect(seen.response.startsWith("HTTP/1.1 408 Request Timeout\r\n")).toBe(true)
    expect(seen.ms).toBeGreaterThanOrEqual(700)
    expect(seen.ms).toBeLessThan(3000)
  })

  it("answers 431 to headers larger than maxHeaderSize", async () => {
    const big = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(5000)}\r\n\r\n`
    const seen = await rawClient(server.port, big)
    expect(seen.response.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")).toBe(true)
  })

  it("closes an idle keep-alive connection after keepAliveTimeout", async () => {
    const seen = await rawClient(server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    expect(seen.response.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true)
    expect(seen.response.endsWith("\r\n\r\nroot")).toBe(true)
    expect(seen.ms).toBeGreaterThanOrEqual(250)
    expect(seen.ms).toBeLessThan(2000)
  })
})
