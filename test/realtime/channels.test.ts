import { afterEach, describe, expect, expectTypeOf, it } from "vitest"
import { z } from "zod"
import type { RealtimeSocket } from "../../src/realtime/index.js"
import { served, until } from "./helpers.js"

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

async function chat() {
  const sockets: RealtimeSocket[] = []
  const s = await served(
    (rt) => {
      rt.channel("rooms/:id", {
        authorize(c, params) {
          expectTypeOf(params).toEqualTypeOf<{ id: string }>()
          return params.id !== "staff" || c.req.header("x-user") === "boss"
        },
        presence: true,
      })
      rt.channel("lobby")
      rt.channel("teams/:team", {
        presence: (c, params) => ({ name: c.req.header("x-user"), team: params.team }),
      })
      rt.ws(
        "/chat",
        {
          open(socket) {
            sockets.push(socket)
          },
          async message(socket, msg) {
            if (msg.op === "join") await socket.join(msg.room, { name: socket.user })
            else if (msg.op === "say")
              await socket.broadcast(msg.room, "said", { from: socket.user, text: msg.text })
            else if (msg.op === "all")
              await s.rt.publish(msg.room, "said", { from: socket.user, text: msg.text })
          },
        },
        {
          message: z.discriminatedUnion("op", [
            z.object({ op: z.literal("join"), room: z.string() }),
            z.object({ op: z.literal("say"), room: z.string(), text: z.string() }),
            z.object({ op: z.literal("all"), room: z.string(), text: z.string() }),
          ]),
        },
      )
    },
    { user: (c) => c.req.header("x-user") },
  )
  stops.push(s.stop)
  const open = (user: string) => s.client.ws("/chat", { headers: { "x-user": user } })
  return { ...s, open, sockets }
}

describe("channels", () => {
  it("broadcasts to a channel, and except the sender", async () => {
    const { open } = await chat()
    const ada = await open("ada")
    const bob = await open("bob")
    const eve = await open("eve")
    for (const s of [ada, bob]) {
      s.send({ op: "join", room: "lobby" })
    }
    ada.send({ op: "join", room: "rooms/1" })
    bob.send({ op: "join", room: "rooms/1" })
    await ada.nextEvent("presence:join", "rooms/1")
    await bob.nextEvent("presence:join", "rooms/1")
    ada.send({ op: "say", room: "lobby", text: "hi" })
    const frame = await bob.nextEvent("said", "lobby")
    expect(frame).toEqual({
      channel: "lobby",
      event: "said",
      data: { from: "ada", text: "hi" },
      id: frame.id,
    })
    expect(frame.id).toMatch(/^[0-9a-f]{12}-1$/)
    ada.send({ op: "all", room: "lobby", text: "to all" })
    expect((await ada.nextEvent("said", "lobby")).data).toEqual({ from: "ada", text: "to all" })
    expect((await bob.nextEvent("said", "lobby")).data).toEqual({ from: "ada", text: "to all" })
    expect(eve.pending).toEqual([])
    for (const s of [ada, bob, eve]) await s.close()
  })

  it("sends to every connection of one user", async () => {
    const { open, rt } = await chat()
    const phone = await open("ada")
    const laptop = await open("ada")
    const bob = await open("bob")
    await until(() => rt.connections === 3)
    await rt.toUser("ada", "dm", { text: "psst" })
    expect(await phone.next()).toEqual({ event: "dm", data: { text: "psst" } })
    expect(await laptop.next()).toEqual({ event: "dm", data: { text: "psst" } })
    expect(bob.pending).toEqual([])
    for (const s of [phone, laptop, bob]) await s.close()
  })

  it("refuses an unauthorized or unknown channel with an error frame; the socket stays open", async () => {
    const { open } = await chat()
    const ada = await open("ada")
    ada.send({ $: "join", channel: "rooms/staff" })
    expect(await ada.next()).toEqual({
      event: "error",
      channel: "rooms/staff",
      data: {
        code: "TRUSS_ERR_REALTIME_CHANNEL_FORBIDDEN",
        message: 'You may not join the channel "rooms/staff".',
      },
    })
    ada.send({ op: "join", room: "nowhere/1" })
    expect(await ada.next()).toEqual({
      event: "error",
      data: {
        code: "TRUSS_ERR_REALTIME_CHANNEL_UNKNOWN",
        message:
          'No channel matches "nowhere/1": declare it with rt.channel(pattern, { authorize }).',
      },
    })
    const boss = await open("boss")
    boss.send({ $: "join", channel: "rooms/staff" })
    expect(await boss.next()).toEqual({
      channel: "rooms/staff",
      event: "presence:join",
      data: { id: expect.any(String), user: "boss", meta: null },
    })
    expect(await boss.next()).toEqual({
      event: "joined",
      channel: "rooms/staff",
      data: { presence: [{ id: expect.any(String), user: "boss", meta: null }] },
    })
    ada.send({ $: "join", channel: "lobby" })
    expect(await ada.next()).toEqual({ event: "joined", channel: "lobby", data: {} })
    await ada.close()
    await boss.close()
  })

  it("computes presence metadata on the server for a client's $join", async () => {
    const { open, rt, sockets } = await chat()
    const ada = await open("ada")
    ada.send({ $: "join", channel: "teams/red" })
    const joined = await ada.nextEvent("joined", "teams/red")
    const me = { id: sockets[0]!.id, user: "ada", meta: { name: "ada", team: "red" } }
    expect(joined.data).toEqual({ presence: [me] })
    expect(rt.presence("teams/red")).toEqual([me])
    await ada.close()
  })

  it("tracks presence with metadata, and sends join and leave events", async () => {
    const { open, rt, sockets } = await chat()
    const ada = await open("ada")
    ada.send({ op: "join", room: "rooms/7" })
    const first = await ada.nextEvent("presence:join", "rooms/7")
    expect(first.data).toEqual({ id: sockets[0]!.id, user: "ada", meta: { name: "ada" } })
    const bob = await open("bob")
    bob.send({ op: "join", room: "rooms/7" })
    const bobJoin = await ada.nextEvent("presence:join", "rooms/7")
    expect(bobJoin.data).toEqual({ id: sockets[1]!.id, user: "bob", meta: { name: "bob" } })
    expect(rt.presence("rooms/7")).toEqual([
      { id: sockets[0]!.id, user: "ada", meta: { name: "ada" } },
      { id: sockets[1]!.id, user: "bob", meta: { name: "bob" } },
    ])
    await bob.close()
    expect((await ada.nextEvent("presence:leave", "rooms/7")).data).toEqual({
      id: sockets[1]!.id,
      user: "bob",
      meta: { name: "bob" },
    })
    expect(rt.presence("rooms/7")).toEqual([
      { id: sockets[0]!.id, user: "ada", meta: { name: "ada" } },
    ])
    ada.send({ $: "leave", channel: "rooms/7" })
    expect(await ada.nextEvent("left")).toEqual({ event: "left", channel: "rooms/7" })
    expect(rt.presence("rooms/7")).toEqual([])
    await ada.close()
  })
})
