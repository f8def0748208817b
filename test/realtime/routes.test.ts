import { afterEach, describe, expect, expectTypeOf, it } from "vitest"
import { z } from "zod"
import { App } from "../../src/index.js"
import { realtime } from "../../src/realtime/index.js"
import { rateLimit } from "../../src/security/index.js"
import { sessions } from "../../src/sessions/index.js"
import { createClient, UpgradeRefused } from "../../src/testing/index.js"
import { served, sleep, until } from "./helpers.js"

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})
async function serve(...args: Parameters<typeof served>) {
  const s = await served(...args)
  stops.push(s.stop)
  return s
}

describe("ws() routes", () => {
  it("types params from the path and messages from the schema, and echoes over a socket", async () => {
    const { client } = await serve((rt) => {
      rt.ws(
        "/rooms/:id",
        {
          message(socket, data) {
            expectTypeOf(socket.params).toEqualTypeOf<{ id: string }>()
            expectTypeOf(data).toEqualTypeOf<{ text: string }>()
            socket.send("echo", { room: socket.params.id, text: data.text })
          },
        },
        { message: z.object({ text: z.string() }) },
      )
    })
    const socket = await client.ws("/rooms/42")
    socket.send({ text: "hi" })
    expect(await socket.next()).toEqual({ event: "echo", data: { room: "42", text: "hi" } })
    await socket.close()
  })

  it("runs route middleware and sessions at the upgrade; the socket keeps that context", async () => {
    const app = new App()
    app.use(sessions({ secret: "s".repeat(32) }))
    app.post("/login", (c) => {
      c.session.set("user", "ada")
      return { ok: true }
    })
    const rt = realtime(app)
    const order: string[] = []
    rt.ws(
      "/me",
      {
        open(socket) {
          socket.send("me", { user: socket.c.session.get("user"), mark: socket.c.get("mark") })
        },
      },
      {
        middleware: [
          async function mark(c, next) {
            order.push("route middleware")
            c.set("mark", "set at upgrade")
            await next()
          },
        ],
      },
    )
    const server = await app.listen({ port: 0, signals: false })
    stops.push(() => app.close())
    const client = createClient(server.url)
    await client.post("/login")
    const socket = await client.ws("/me")
    expect(await socket.next()).toEqual({
      event: "me",
      data: { user: "ada", mark: "set at upgrade" },
    })
    expect(order).toEqual(["route middleware"])
    await socket.close()
  })

  it("refuses upgrades past a truss/security rate limit with 429", async () => {
    const { client } = await serve((rt) => {
      rt.ws(
        "/limited",
        { open: (s) => s.send("hi") },
        { middleware: [rateLimit({ window: 60, max: 2 })] },
      )
    })
    for (let i = 0; i < 2; i++) {
      const ok = await client.ws("/limited")
      expect(await ok.next()).toEqual({ event: "hi" })
      await ok.close()
    }
    const refused = await client.ws("/limited").catch((e) => e)
    expect(refused).toBeInstanceOf(UpgradeRefused)
    expect(refused.status).toBe(429)
  })

  it("works in-process through the test client, with no port", async () => {
    const app = new App()
    const rt = realtime(app)
    rt.ws("/echo", { message: (socket, data) => socket.send("echo", data) })
    stops.push(() => app.close())
    const socket = await createClient(app).ws("/echo")
    socket.send([1, 2])
    expect(await socket.next()).toEqual({ event: "echo", data: [1, 2] })
    await socket.close()
  })

  it("answers 426 with a code on a plain GET (app.fetch has no socket)", async () => {
    const app = new App()
    realtime(app).ws("/ws", {})
    stops.push(() => app.close())
    const res = await app.request("/ws")
    expect(res.status).toBe(426)
    expect((await res.json()).code).toBe("TRUSS_ERR_REALTIME_UPGRADE_REQUIRED")
  })

  it("refuses another Origin with 403 and accepts its own and the allow-list", async () => {
    const { client, url } = await serve((rt) => {
      rt.ws("/open", { open: (s) => s.send("hi") })
      rt.ws("/listed", { open: (s) => s.send("hi") }, { origins: ["https://app.example"] })
    })
    const refused = await client
      .ws("/open", { headers: { origin: "https://evil.example" } })
      .catch((e) => e)
    expect(refused).toBeInstanceOf(UpgradeRefused)
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.body).code).toBe("TRUSS_ERR_REALTIME_ORIGIN_REFUSED")
    const own = await client.ws("/open", { headers: { origin: url } })
    expect(await own.next()).toEqual({ event: "hi" })
    await own.close()
    const listed = await client.ws("/listed", { headers: { origin: "https://app.example" } })
    expect(await listed.next()).toEqual({ event: "hi" })
    await listed.close()
    const notListed = await client.ws("/listed", { headers: { origin: url } }).catch((e) => e)
    expect(notListed.status).toBe(403)
  })

  it("requireOrigin refuses an upgrade without Origin", async () => {
    const { client } = await serve((rt) => rt.ws("/ws", {}), { requireOrigin: true })
    const refused = await client.ws("/ws").catch((e) => e)
    expect(refused.status).toBe(403)
  })

  it("answers an invalid message with an error frame and stays open", async () => {
    const { client } = await serve((rt) => {
      rt.ws("/ws", { message: (s, d) => s.send("ok", d) }, { message: z.object({ n: z.number() }) })
    })
    const socket = await client.ws("/ws")
    socket.send({ n: "one" })
    expect(await socket.next()).toEqual({
      event: "error",
      data: {
        code: "TRUSS_ERR_REALTIME_INVALID_MESSAGE",
        message:
          "The message does not match the route's message schema; extensions.issues says where.",
        issues: [{ path: "n", message: "Invalid input: expected number, received string" }],
      },
    })
    socket.raw.send("{not json")
    expect((await socket.next()).data).toEqual({
      code: "TRUSS_ERR_REALTIME_MALFORMED_MESSAGE",
      message: "The message is not a JSON text frame: send JSON.stringify(value) as text.",
    })
    socket.send({ n: 1 })
    expect(await socket.next()).toEqual({ event: "ok", data: { n: 1 } })
    await socket.close()
  })

  it("closes with 1009 above maxMessageSize (1 MiB by default)", async () => {
    const { client } = await serve((rt) => {
      rt.ws("/big", { message: (s) => s.send("got") })
      rt.ws("/small", { message: (s) => s.send("got") }, { maxMessageSize: 100 })
    })
    const big = await client.ws("/big")
    big.send("x".repeat(1024 * 1024 - 10))
    expect(await big.next()).toEqual({ event: "got" })
    big.send("x".repeat(1024 * 1024 + 1))
    expect((await big.closed).code).toBe(1009)
    const small = await client.ws("/small")
    small.send("x".repeat(101))
    expect((await small.closed).code).toBe(1009)
  })

  it("rate-limits: drops past the limit with one error frame per window, or closes 1008", async () => {
    const { client } = await serve((rt) => {
      rt.ws(
        "/drop",
        { message: (s, d) => s.send("ok", d) },
        { rateLimit: { messages: 3, interval: 300 } },
      )
      rt.ws(
        "/close",
        { message: (s, d) => s.send("ok", d) },
        { rateLimit: { messages: 3, interval: 300, action: "close" } },
      )
    })
    const socket = await client.ws("/drop")
    for (let i = 0; i < 6; i++) socket.send(i)
    const frames = [
      await socket.next(),
      await socket.next(),
      await socket.next(),
      await socket.next(),
    ]
    expect(frames).toEqual([
      { event: "ok", data: 0 },
      { event: "ok", data: 1 },
      { event: "ok", data: 2 },
      {
        event: "error",
        data: {
          code: "TRUSS_ERR_REALTIME_RATE_LIMITED",
          message:
            "More than 3 messages in 300 ms: messages are dropped until the window passes. Send less often, or raise rateLimit.",
        },
      },
    ])
    await sleep(100)
    expect(socket.pending).toEqual([])
    await sleep(250)
    socket.send("later")
    expect(await socket.next()).toEqual({ event: "ok", data: "later" })
    await socket.close()
    const closing = await client.ws("/close")
    for (let i = 0; i < 5; i++) closing.send(i)
    expect(await closing.closed).toEqual({ code: 1008, reason: "rate limit" })
  })

  it("cuts a socket that stops answering pings, and closes an idle one", async () => {
    const { client, rt } = await serve((rt) => {
      rt.ws("/hb", {}, { heartbeat: 100 })
      rt.ws("/idle", {}, { idleTimeout: 150, heartbeat: 10_000 })
    })
    const quiet = await client.ws("/hb")
    // ws answers pings by itself; stop it by pausing the socket: no pong goes back.
    ;(quiet.raw as unknown as { _socket: { pause(): void } })._socket.pause()
    await until(() => rt.connections === 0, 2000, "the silent socket to be cut")
    const idle = await client.ws("/idle")
    const started = Date.now()
    expect(await idle.closed).toEqual({ code: 1000, reason: "idle timeout" })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it("drops messages to a slow consumer above maxBuffered, or closes it with 1013", async () => {
    let dropSocket: import("../../src/realtime/index.js").RealtimeSocket | undefined
    const { client } = await serve((rt) => {
      rt.ws(
        "/drop",
        {
          open(s) {
            dropSocket = s
          },
          message(s, data) {
            if (data === "done?") return s.send("done")
            for (let i = 0; i < 200; i++) s.send("chunk", "y".repeat(64 * 1024))
          },
        },
        { backpressure: { maxBuffered: 256 * 1024 } },
      )
      rt.ws(
        "/close",
        {
          message(s) {
            for (let i = 0; i < 200; i++) s.send("chunk", "y".repeat(64 * 1024))
          },
        },
        { backpressure: { maxBuffered: 256 * 1024, action: "close" } },
      )
    })
    const slow = await client.ws("/drop")
    ;(slow.raw as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
    slow.send("go")
    await until(() => (dropSocket?.dropped ?? 0) > 0, 3000, "drops")
    await sleep(50)
    const dropped = dropSocket!.dropped
    expect(dropped).toBeGreaterThan(50)
    expect(dropSocket!.raw.readyState).toBe(1)
    ;(slow.raw as unknown as { _socket: { resume(): void } })._socket.resume()
    let chunks = 0
    for (;;) {
      const f = await slow.next()
      if (f.event !== "chunk") break
      if (++chunks === 200 - dropped) slow.send("done?")
    }
    expect(chunks).toBe(200 - dropped)
    await slow.close()
    const closed = await client.ws("/close")
    ;(closed.raw as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
    closed.send("go")
    ;(closed.raw as unknown as { _socket: { resume(): void } })._socket.resume()
    expect((await closed.closed).code).toBe(1013)
  })

  it("shuts down gracefully: sockets close with 1001 after queued sends are written", async () => {
    const { client, app } = await serve((rt) => {
      rt.ws("/ws", {
        message: (s) => {
          for (let i = 0; i < 50; i++) s.send("n", i)
        },
      })
    })
    const socket = await client.ws("/ws")
    const got: unknown[] = []
    socket.raw.on("message", (m) => got.push(JSON.parse(String(m)).data))
    socket.send("go")
    await until(() => got.length > 0)
    await app.close()
    stops.pop()
    expect(await socket.closed).toEqual({ code: 1001, reason: "server shutting down" })
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
