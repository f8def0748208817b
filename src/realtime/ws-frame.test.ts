import { afterEach, describe, expect, it } from "vitest"
import { App } from "../index.js"
import { createClient } from "../testing/index.js"
import { type RealtimeSocket, realtime } from "./index.js"
import { textFrame } from "./ws-frame.js"

const apps: App[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
})

async function serve() {
  const app = new App({ logger: false })
  apps.push(app)
  const rt = realtime(app, { rateLimit: false })
  rt.channel("all")
  const sockets: RealtimeSocket[] = []
  rt.ws(
    "/ws",
    {
      async open(s) {
        await s.join("all")
        sockets.push(s)
        s.send("ready")
      },
    },
    { backpressure: { maxBuffered: 256 * 1024 } },
  )
  const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 1000 })
  return { rt, sockets, client: createClient(server.url) }
}

describe("prebuilt broadcast frames", () => {
  it("encode the three RFC 6455 length forms", () => {
    expect([...textFrame(Buffer.from("hi"))]).toEqual([0x81, 2, 0x68, 0x69])
    const mid = textFrame(Buffer.alloc(300, 0x61))
    expect([mid[0], mid[1], mid.readUInt16BE(2), mid.length]).toEqual([0x81, 126, 300, 304])
    const big = textFrame(Buffer.alloc(70_000, 0x61))
    expect([big[1], Number(big.readBigUInt64BE(2)), big.length]).toEqual([127, 70_000, 70_010])
  })

  it("arrive intact and in order with direct sends, at every length", async () => {
    const { rt, sockets, client } = await serve()
    const ws = await client.ws("/ws")
    expect(await ws.next()).toEqual({ event: "ready" })
    const sizes = [1, 100, 125, 126, 300, 65_535, 65_536, 200_000]
    for (const n of sizes) {
      await rt.publish("all", "b", "x".repeat(n))
      sockets[0]!.send("direct", n)
    }
    for (const n of sizes) {
      const b = (await ws.next()) as { event: string; data: string; channel: string }
      expect([b.channel, b.event, b.data.length]).toEqual(["all", "b", n])
      expect(await ws.next()).toEqual({ event: "direct", data: n })
    }
    await ws.close()
  })

  it("are dropped for a client that reads too slowly (backpressure)", async () => {
    const { rt, sockets, client } = await serve()
    const ws = await client.ws("/ws")
    expect(await ws.next()).toEqual({ event: "ready" })
    ;(ws.raw as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
    const chunk = "y".repeat(64 * 1024)
    for (let i = 0; i < 200; i++) await rt.publish("all", "b", chunk)
    const dropped = sockets[0]!.dropped
    expect(dropped).toBeGreaterThan(50)
    expect(dropped).toBeLessThan(200)
    ;(ws.raw as unknown as { _socket: { resume(): void } })._socket.resume()
    for (let i = 0; i < 200 - dropped; i++)
      expect(((await ws.next()) as { event: string }).event).toBe("b")
    sockets[0]!.send("end")
    expect(await ws.next()).toEqual({ event: "end" })
    await ws.close()
  })
})
