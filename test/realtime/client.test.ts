import { afterEach, describe, expect, expectTypeOf, it } from "vitest"
import { z } from "zod"
import { App } from "../../src/index.js"
import { connect, type RealtimeClient } from "../../src/realtime/client/index.js"
import { type PresenceEntry, type RealtimeSocket, realtime } from "../../src/realtime/index.js"
import { until } from "./helpers.js"

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

async function chatServer(port = 0) {
  const app = new App()
  const sockets: RealtimeSocket[] = []
  const rt = realtime(app).channel("rooms/:id", {
    presence: true,
    events: { said: z.object({ text: z.string() }) },
  })
  rt.ws("/ws", {
    open: (s) => {
      sockets.push(s)
    },
    message: (s, data) => s.send("echo", data),
  })
  const server = await app.listen({ port, signals: false, shutdownTimeout: 200 })
  return { app, rt, sockets, server, url: server.url.replace("http", "ws") }
}

describe("the realtime client", () => {
  it("subscribes with handlers typed from the server's channels", async () => {
    const s = await chatServer()
    cleanups.push(() => s.app.close())
    const client: RealtimeClient<typeof s.rt> = connect<typeof s.rt>(`${s.url}/ws`)
    cleanups.push(() => client.close())
    const got: unknown[] = []
    client.subscribe("rooms/1", {
      said(data) {
        expectTypeOf(data).toEqualTypeOf<{ text: string }>()
        got.push(data)
      },
      "presence:join"(entry) {
        expectTypeOf(entry).toEqualTypeOf<PresenceEntry>()
        got.push(`join ${entry.id === s.sockets[0]?.id}`)
      },
    })
    await until(() => s.rt.subscribers("rooms/1") === 1)
    await s.rt.publish("rooms/1", "said", { text: "hi" })
    await until(() => got.length === 2)
    expect(got).toEqual(["join true", { text: "hi" }])
    const direct: unknown[] = []
    client.onMessage((event, data) => direct.push([event, data]))
    client.send({ n: 1 })
    await until(() => direct.length === 1)
    expect(direct).toEqual([["echo", { n: 1 }]])
  })

  it("reconnects with backoff after a drop and a server restart, and resubscribes", async () => {
    let s = await chatServer()
    const port = s.server.port
    const client = connect(`${s.url}/ws`, { minDelay: 20, maxDelay: 200 })
    cleanups.push(() => client.close())
    const said: unknown[] = []
    client.subscribe("rooms/2", { said: (d) => said.push(d) })
    await until(() => s.rt.subscribers("rooms/2") === 1)
    s.sockets[0]!.close(1012, "restart")
    await until(
      () => client.reconnects === 1 && s.rt.subscribers("rooms/2") === 1,
      3000,
      "a reconnect",
    )
    await s.rt.publish("rooms/2", "said", { text: "after a drop" })
    await s.app.close()
    // Queued while the server is away, sent on reconnect.
    const echoes: unknown[] = []
    client.onMessage((event, data) => echoes.push([event, data]))
    client.send("queued")
    s = await chatServer(port)
    cleanups.push(() => s.app.close())
    await until(() => s.rt.subscribers("rooms/2") === 1, 5000, "a resubscription to the new server")
    await s.rt.publish("rooms/2", "said", { text: "after a restart" })
    await until(() => said.length === 2)
    expect(said).toEqual([{ text: "after a drop" }, { text: "after a restart" }])
    await until(() => echoes.length === 1)
    expect(echoes).toEqual([["echo", "queued"]])
    expect(client.reconnects).toBeGreaterThanOrEqual(2)
    expect(client.connected).toBe(true)
  })
})

describe("typed publish", () => {
  it("types event names and data from the channel's events", () => {
    const rt = realtime(new App())
      .channel("rooms/:id", { events: { said: z.object({ text: z.string() }) } })
      .channel("lobby")
    cleanups.push(() => rt.close())
    expectTypeOf(rt.publish<"rooms/1", "said">)
      .parameter(2)
      .toEqualTypeOf<{ text: string } | undefined>()
    // @ts-expect-error: "rooms/:id" declares no "shouted" event
    void rt.publish("rooms/1", "shouted", { text: "x" })
    // @ts-expect-error: said needs { text: string }
    void rt.publish("rooms/1", "said", { text: 1 })
    void rt.publish("lobby", "anything", 42)
    expect(rt.subscribers("rooms/1")).toBe(0)
  })
})
