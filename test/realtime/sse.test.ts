import { afterEach, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { realtime } from "../../src/realtime/index.js"
import { until } from "./helpers.js"

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

function sseApp() {
  const app = new App()
  const rt = realtime(app)
  rt.channel("rooms/:id", { history: 3, authorize: (_c, p) => p.id !== "secret" })
  rt.sse("/rooms/:id/events", { channels: (c) => [`rooms/${c.params.id}`] })
  closers.push(() => app.close())
  return { app, rt }
}

/** Reads SSE text until `count` events (blank-line separated blocks) after the opening comment. */
async function read(
  res: Response,
  count: number,
): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ""
  while (text.split("\n\n").length - 1 < count + 1) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value)
  }
  return { text, reader }
}

describe("sse() routes", () => {
  it("streams a channel's broadcasts through app.fetch()", async () => {
    const { app, rt } = sseApp()
    const res = await app.request("/rooms/1/events")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
    expect(res.headers.get("cache-control")).toBe("no-cache")
    await until(() => rt.subscribers("rooms/1") === 1)
    await rt.publish("rooms/1", "said", { text: "hi" })
    const id = rt.node
    const { text, reader } = await read(res, 1)
    expect(text).toBe(
      `: connected\n\nid: ${id}-1\nevent: said\ndata: {"channel":"rooms/1","event":"said","data":{"text":"hi"},"id":"${id}-1"}\n\n`,
    )
    await reader.cancel()
    await until(() => rt.subscribers("rooms/1") === 0, 2000, "the SSE member to leave")
  })

  it("resumes after Last-Event-ID from the bounded history", async () => {
    const { app, rt } = sseApp()
    for (let i = 1; i <= 5; i++) await rt.publish("rooms/2", "n", i)
    const n = rt.node
    const res = await app.request("/rooms/2/events", { headers: { "last-event-id": `${n}-3` } })
    const { text, reader } = await read(res, 2)
    expect(text).toBe(
      `: connected\n\n` +
        `id: ${n}-4\nevent: n\ndata: {"channel":"rooms/2","event":"n","data":4,"id":"${n}-4"}\n\n` +
        `id: ${n}-5\nevent: n\ndata: {"channel":"rooms/2","event":"n","data":5,"id":"${n}-5"}\n\n`,
    )
    await reader.cancel()
    // An id older than the 3 kept: everything kept is replayed.
    const old = await app.request("/rooms/2/events?lastEventId=unknown")
    const replay = await read(old, 3)
    expect(replay.text.match(/^data: .*$/gm)?.map((l) => JSON.parse(l.slice(6)).data)).toEqual([
      3, 4, 5,
    ])
    await replay.reader.cancel()
  })

  it("keeps an idle stream open with ping comments", async () => {
    const app = new App()
    const rt = realtime(app)
    rt.channel("quiet")
    rt.sse("/quiet", { channels: () => ["quiet"], keepAlive: 50 })
    closers.push(() => app.close())
    const res = await app.request("/quiet")
    const { text, reader } = await read(res, 2)
    expect(text).toBe(": connected\n\n: ping\n\n: ping\n\n")
    await reader.cancel()
    await until(() => rt.subscribers("quiet") === 0)
  })

  it("refuses an unauthorized channel with 403", async () => {
    const { app } = sseApp()
    const res = await app.request("/rooms/secret/events")
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe("TRUSS_ERR_REALTIME_CHANNEL_FORBIDDEN")
  })

  it("streams over listen(), and leaves the channel when the client disconnects", async () => {
    const { app, rt } = sseApp()
    const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 200 })
    const abort = new AbortController()
    const res = await fetch(`${server.url}/rooms/3/events`, { signal: abort.signal })
    await until(() => rt.subscribers("rooms/3") === 1)
    await rt.publish("rooms/3", "said", "over the wire")
    const { text } = await read(res, 1)
    expect(text.split("\n\n")[1]).toBe(
      `id: ${rt.node}-1\nevent: said\ndata: {"channel":"rooms/3","event":"said","data":"over the wire","id":"${rt.node}-1"}`,
    )
    abort.abort()
    await until(() => rt.subscribers("rooms/3") === 0, 2000, "the SSE member to leave")
  })
})
