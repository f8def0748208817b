import { type ChildProcess, spawn } from "node:child_process"
import { connect, type Socket } from "node:net"
import { join } from "node:path"
import { createInterface, type Interface } from "node:readline"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { served } from "./helpers.js"

const ROOT = join(import.meta.dirname, "../..")
const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

const KEY = "dGhlIHNhbXBsZSBub25jZQ=="
function handshake(path: string, extra = ""): string {
  return `GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${KEY}\r\n${extra}\r\n`
}

const PONG = Buffer.from([0x8a, 0x80, 0, 0, 0, 0])

/**
 * Opens a raw socket and completes the WebSocket handshake; resolves once 101 is read.
 * With `pong`, it answers the server's (empty) pings, as a live client does.
 */
function rawSocket(port: number, path = "/ws", pong = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    socket.once("error", reject)
    socket.once("data", (chunk) => {
      if (!chunk.toString("latin1").startsWith("HTTP/1.1 101"))
        return reject(new Error(chunk.toString("latin1")))
      socket.on("error", () => {})
      if (pong) {
        socket.on("data", (data: Buffer) => {
          // Frames here are JSON text (ASCII) and empty pings: 0x89 0x00 is a ping.
          for (let i = data.indexOf(0x89); i !== -1; i = data.indexOf(0x89, i + 1)) {
            if (data[i + 1] === 0) socket.write(PONG)
          }
        })
      }
      resolve(socket)
    })
    socket.write(handshake(path))
  })
}

async function echoServer() {
  const s = await served((rt) => {
    rt.channel("rooms/:id", { authorize: (_c, p) => p.id === "open" })
    rt.channel("topics/:n")
    rt.ws(
      "/ws",
      { message: (socket, data) => socket.send("echo", data) },
      { rateLimit: { messages: 20, interval: 1000, action: "close" }, maxChannels: 3 },
    )
  })
  stops.push(s.stop)
  return s
}

/** The server still answers: a fresh socket echoes. */
async function stillServes(client: Awaited<ReturnType<typeof echoServer>>["client"]) {
  const ok = await client.ws("/ws")
  ok.send("alive?")
  expect(await ok.next()).toEqual({ event: "echo", data: "alive?" })
  await ok.close()
}

describe("bad input: a close code or an error frame, never a crash", () => {
  it("a malformed frame (unmasked, reserved opcode) closes the socket with 1002", async () => {
    const { server, client } = await echoServer()
    for (const frame of [
      Buffer.from([0x81, 0x02, 0x68, 0x69]),
      Buffer.from([0x83, 0x80, 1, 2, 3, 4]),
    ]) {
      const socket = await rawSocket(server.port)
      const closed = new Promise<Buffer>((resolve) => {
        let got = Buffer.alloc(0)
        socket.on("data", (c) => {
          got = Buffer.concat([got, c])
        })
        socket.on("close", () => resolve(got))
      })
      socket.write(frame)
      const got = await closed
      // A close frame (0x88) whose status code is 1002 (protocol error).
      expect(got[0]).toBe(0x88)
      expect(got.readUInt16BE(2)).toBe(1002)
    }
    await stillServes(client)
  })

  it("an oversized message closes with 1009", async () => {
    const { client } = await echoServer()
    const socket = await client.ws("/ws")
    socket.raw.send(Buffer.alloc(1024 * 1024 + 1, 0x20), { binary: false })
    expect((await socket.closed).code).toBe(1009)
    await stillServes(client)
  })

  it("a flood past the rate limit closes with 1008", async () => {
    const { client } = await echoServer()
    const socket = await client.ws("/ws")
    for (let i = 0; i < 1000; i++) socket.send(i)
    expect(await socket.closed).toEqual({ code: 1008, reason: "rate limit" })
    await stillServes(client)
  })

  it("an upgrade with another Origin gets 403", async () => {
    const { client } = await echoServer()
    const refused = await client
      .ws("/ws", { headers: { origin: "http://evil.example" } })
      .catch((e) => e)
    expect(refused.status).toBe(403)
    await stillServes(client)
  })

  it("joining a channel one is not authorized for gets an error frame", async () => {
    const { client } = await echoServer()
    const socket = await client.ws("/ws")
    socket.send({ $: "join", channel: "rooms/closed" })
    expect((await socket.next()).data).toEqual({
      code: "TRUSS_ERR_REALTIME_CHANNEL_FORBIDDEN",
      message: 'You may not join the channel "rooms/closed".',
    })
    socket.send("still here")
    expect(await socket.next()).toEqual({ event: "echo", data: "still here" })
    await socket.close()
  })
})

describe("channel flood", () => {
  it("joining more than maxChannels channels is refused with an error frame", async () => {
    const { client } = await echoServer()
    const socket = await client.ws("/ws")
    for (let i = 0; i < 5; i++) socket.send({ $: "join", channel: `topics/${i}` })
    const frames = [
      await socket.next(),
      await socket.next(),
      await socket.next(),
      await socket.next(),
      await socket.next(),
    ]
    expect(frames.filter((f) => f.event === "joined").map((f) => f.channel)).toEqual([
      "topics/0",
      "topics/1",
      "topics/2",
    ])
    expect(frames.filter((f) => f.event === "error")).toEqual([
      {
        event: "error",
        channel: "topics/3",
        data: {
          code: "TRUSS_ERR_REALTIME_CHANNEL_LIMIT",
          message: "This socket is already in 3 channels: leave one first, or raise maxChannels.",
        },
      },
      {
        event: "error",
        channel: "topics/4",
        data: {
          code: "TRUSS_ERR_REALTIME_CHANNEL_LIMIT",
          message: "This socket is already in 3 channels: leave one first, or raise maxChannels.",
        },
      },
    ])
    await socket.close()
  })
})

describe("10,000 sockets that connect and vanish without closing", () => {
  let child: ChildProcess | undefined
  let lines: Interface | undefined
  afterAll(() => {
    child?.kill("SIGKILL")
  })

  it("are all cleaned up and the server's heap returns to its baseline", async () => {
    child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", join(import.meta.dirname, "fixtures/vanish-server.ts")],
      { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
    )
    lines = createInterface({ input: child.stdout! })
    const iterator = lines[Symbol.asyncIterator]()
    const readLine = async () =>
      JSON.parse((await iterator.next()).value as string) as Record<string, number>
    const { port } = await readLine()
    const measure = async () => {
      child!.stdin!.write("measure\n")
      return readLine()
    }
    const open = async (n: number, pong = true) => {
      const sockets: Socket[] = []
      for (let i = 0; i < n; i += 500) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(500, n - i) }, () => rawSocket(port!, "/ws", pong)),
        )
        sockets.push(...batch)
      }
      return sockets
    }
    const vanish = (sockets: Socket[]) => {
      sockets.forEach((s, i) => {
        // Half reset the connection, half just drop it: neither sends a close frame.
        if (i % 2 === 0) s.resetAndDestroy()
        else s.destroy()
      })
    }
    const settle = async () => {
      for (let i = 0; i < 300; i++) {
        const m = await measure()
        if (m.connections === 0 && m.subscribers === 0 && m.presence === 0) return m
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error("sockets were not cleaned up")
    }
    // Warm up: load every code path once, so the baseline holds the compiled code.
    vanish(await open(1000))
    const baseline = await settle()
    const sockets = await open(10_000)
    const full = await measure()
    expect(full.connections).toBe(10_000)
    expect(full.subscribers).toBe(10_000)
    expect(full.presence).toBe(10_000)
    // A few stay connected but stop reading: the heartbeat must cut those.
    const silent = await open(50, false)
    vanish(sockets)
    const after = await settle()
    console.log(
      `heap: baseline ${(baseline.heapUsed! / 2 ** 20).toFixed(1)} MiB, with 10,050 sockets ${(full.heapUsed! / 2 ** 20).toFixed(1)} MiB, after ${(after.heapUsed! / 2 ** 20).toFixed(1)} MiB`,
    )
    expect(full.heapUsed! - baseline.heapUsed!).toBeGreaterThan(10 * 2 ** 20)
    expect(after.heapUsed! - baseline.heapUsed!).toBeLessThan(2 * 2 ** 20)
    for (const s of silent) s.destroy()
  }, 120_000)
})
