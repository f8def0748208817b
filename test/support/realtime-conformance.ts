import { afterEach, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { type Backplane, type RealtimeOptions, realtime } from "../../src/realtime/index.js"
import { createClient } from "../../src/testing/index.js"

/**
 * Makes backplanes that reach each other (two "processes" on one Redis, one PostgreSQL,
 * or one memory hub); each call of `connect()` is one more process on the same network,
 * isolated from other tests by a fresh prefix or channel.
 */
export type BackplaneNetwork = () => { connect(): Backplane }

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean, what: string, timeout = 5000): Promise<void> {
  const end = Date.now() + timeout
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await wait(10)
  }
}

/**
 * The tests every backplane passes: the pub/sub contract itself, then realtime on top of
 * it across two apps (two nodes): broadcasts, except-sender, per-user sends and
 * cluster-wide presence, with a node that dies dropping out by TTL.
 */
export function realtimeConformance(name: string, network: BackplaneNetwork): void {
  describe(`realtime backplane conformance: ${name}`, () => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn()
    })
    const connect = (net: { connect(): Backplane }) => {
      const bp = net.connect()
      cleanups.push(() => bp.close())
      return bp
    }

    it("delivers a payload to the topic's subscribers in every process, and only to them", async () => {
      const net = network()
      const a = connect(net)
      const b = connect(net)
      const got: string[] = []
      await b.subscribe("t1", (p) => got.push(`b1 ${p}`))
      await b.subscribe("t1", (p) => got.push(`b2 ${p}`))
      await a.subscribe("t2", (p) => got.push(`a ${p}`))
      await a.publish("t1", "hello")
      await until(() => got.length === 2, "two deliveries")
      await wait(50)
      expect(got).toEqual(["b1 hello", "b2 hello"])
    })

    it("keeps the order of one publisher's messages", async () => {
      const net = network()
      const a = connect(net)
      const b = connect(net)
      const got: string[] = []
      await b.subscribe("seq", (p) => got.push(p))
      const sent = Array.from({ length: 50 }, (_, i) => String(i))
      await Promise.all(sent.map((p) => a.publish("seq", p)))
      await until(() => got.length === 50, "50 messages")
      expect(got).toEqual(sent)
    })

    it("stops delivering after unsubscribe", async () => {
      const net = network()
      const a = connect(net)
      const b = connect(net)
      const got: string[] = []
      const stop = await b.subscribe("u", (p) => got.push(p))
      await a.publish("u", "one")
      await until(() => got.length === 1, "one message")
      await stop()
      await a.publish("u", "two")
      await wait(100)
      expect(got).toEqual(["one"])
    })

    it("delivers a 100 kB payload with multi-byte characters whole", async () => {
      const net = network()
      const a = connect(net)
      const b = connect(net)
      const got: string[] = []
      await b.subscribe("big", (p) => got.push(p))
      const payload = `${"é😀x".repeat(25_000)}end`
      await a.publish("big", payload)
      await a.publish("big", "small after")
      await until(() => got.length === 2, "two messages")
      expect(got[0]).toBe(payload)
      expect(got[1]).toBe("small after")
    })

    describe("realtime on two nodes", () => {
      async function node(net: { connect(): Backplane }, options: RealtimeOptions = {}) {
        const app = new App()
        const backplane = connect(net)
        const rt = realtime(app, { backplane, user: (c) => c.req.header("x-user"), ...options })
        rt.channel("rooms/:id", { presence: true })
        rt.ws("/ws", {
          async message(socket, msg) {
            const m = msg as { op: string; room: string; text?: string }
            if (m.op === "join") await socket.join(m.room, { name: socket.user })
            if (m.op === "say") await socket.broadcast(m.room, "said", { text: m.text })
          },
        })
        const server = await app.listen({ port: 0, signals: false })
        cleanups.push(() => app.close())
        await rt.ready
        const client = createClient(server.url)
        return {
          rt,
          backplane,
          open: (user: string) => client.ws("/ws", { headers: { "x-user": user } }),
        }
      }

      it("broadcasts across nodes, except the sender, and to a user's sockets on every node", async () => {
        const net = network()
        const one = await node(net)
        const two = await node(net)
        const ada = await one.open("ada")
        const bob = await two.open("bob")
        const adaTwo = await two.open("ada")
        ada.send({ op: "join", room: "rooms/1" })
        bob.send({ op: "join", room: "rooms/1" })
        await until(() => one.rt.presence("rooms/1").length === 2, "presence on node one")
        await until(() => two.rt.presence("rooms/1").length === 2, "presence on node two")
        ada.send({ op: "say", room: "rooms/1", text: "hi" })
        const said = await bob.nextEvent("said", "rooms/1")
        expect(said).toEqual({
          channel: "rooms/1",
          event: "said",
          data: { text: "hi" },
          id: said.id,
        })
        await one.rt.toUser("ada", "dm", "psst")
        expect(await ada.nextEvent("dm")).toEqual({ event: "dm", data: "psst" })
        expect(await adaTwo.nextEvent("dm")).toEqual({ event: "dm", data: "psst" })
        await wait(50)
        expect(ada.pending.filter((f) => f.event === "said")).toEqual([])
        for (const s of [ada, bob, adaTwo]) await s.close()
      })

      it("shares presence cluster-wide; a late node syncs; a dead node drops out after its TTL", async () => {
        const net = network()
        const presence = { interval: 50, ttl: 300 }
        const one = await node(net, { presence })
        const two = await node(net, { presence })
        const ada = await one.open("ada")
        const bob = await two.open("bob")
        ada.send({ op: "join", room: "rooms/9" })
        bob.send({ op: "join", room: "rooms/9" })
        await until(() => one.rt.presence("rooms/9").length === 2, "two present on one")
        const users = (rt: typeof one.rt) =>
          rt
            .presence("rooms/9")
            .map((e) => `${e.user}:${JSON.stringify(e.meta)}`)
            .sort()
        expect(users(one.rt)).toEqual(['ada:{"name":"ada"}', 'bob:{"name":"bob"}'])
        const three = await node(net, { presence })
        await until(() => three.rt.presence("rooms/9").length === 2, "the late node to sync")
        expect(users(three.rt)).toEqual(['ada:{"name":"ada"}', 'bob:{"name":"bob"}'])
        // Node two dies without a word: its backplane goes away, no leave is sent.
        await two.backplane.close()
        const left = await ada.nextEvent("presence:leave", "rooms/9", 3000)
        expect(left.data).toEqual({ id: expect.any(String), user: "bob", meta: { name: "bob" } })
        expect(users(one.rt)).toEqual(['ada:{"name":"ada"}'])
        await until(
          () => three.rt.presence("rooms/9").length === 1,
          "the dead node to drop out of three",
        )
        await ada.close()
        await bob.close()
      })
    })
  })
}
