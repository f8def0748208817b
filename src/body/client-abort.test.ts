import { connect } from "node:net"
import { describe, expect, it } from "vitest"
import { App } from "../app.js"

type Line = Record<string, unknown>

describe("a client that drops mid-upload", () => {
  it("is logged once at info as a client abort (499, no stack), never as a 500 error", async () => {
    const lines: Line[] = []
    const destination = {
      write(chunk: string) {
        for (const line of chunk.split("\n")) if (line) lines.push(JSON.parse(line) as Line)
      },
    }
    const app = new App({ logger: { destination, level: "info" } })
    let settled: (v: string) => void = () => {}
    const handlerDone = new Promise<string>((r) => {
      settled = r
    })
    app.post("/upload", async (c) => {
      try {
        await c.req.arrayBuffer()
        settled("read")
      } catch (err) {
        settled((err as { code?: string }).code ?? "no code")
        throw err
      }
      return "ok"
    })
    const server = await app.listen({ port: 0, signals: false })
    try {
      const socket = connect(server.port, "127.0.0.1")
      socket.on("error", () => {})
      await new Promise<void>((r) => socket.once("connect", () => r()))
      socket.write(
        "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n" +
          "Content-Length: 2000\r\n\r\n",
      )
      socket.write(Buffer.alloc(1000, 0x61))
      await new Promise((r) => setTimeout(r, 50))
      socket.destroy()
      expect(await handlerDone).toBe("TRUSS_ERR_CLIENT_ABORTED")
      // The request line is written when the response finishes on the dead socket.
      for (let i = 0; i < 50 && !lines.some((l) => l.status === 499); i++) {
        await new Promise((r) => setTimeout(r, 20))
      }
    } finally {
      await server.close()
    }
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([])
    expect(lines.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([])
    const request = lines.filter((l) => l.status === 499)
    expect(request.map((l) => [l.level, l.method, l.path, l.status])).toEqual([
      [30, "POST", "/upload", 499],
    ])
  })
})
