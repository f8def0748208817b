import assert from "node:assert/strict"
import { after, test } from "node:test"
import { app } from "./app.js"

const server = await app.listen({ port: 0, host: "127.0.0.1" })
after(() => app.close())

/** Opens a chat socket as `name`; `next(event)` resolves with the next frame of that event. */
async function join(name: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/chat?name=${name}`)
  const frames: { event: string; data: unknown }[] = []
  const waiting: (() => void)[] = []
  socket.addEventListener("message", (e) => {
    frames.push(JSON.parse(String(e.data)))
    for (const w of waiting.splice(0)) w()
  })
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve)
    socket.addEventListener("error", reject)
  })
  async function next(event: string): Promise<unknown> {
    for (;;) {
      const i = frames.findIndex((f) => f.event === event)
      if (i !== -1) return frames.splice(i, 1)[0]?.data
      await new Promise<void>((r) => waiting.push(r))
    }
  }
  return { socket, next }
}

test("GET / says where to connect", async () => {
  const res = await app.request("/")
  assert.deepEqual(await res.json(), { message: "__NAME__ chat: connect a WebSocket to /chat?name=you" })
})

test("GET /healthz answers while the app runs", async () => {
  const res = await app.request("/healthz")
  assert.deepEqual(await res.json(), { status: "ok" })
})

test("two people chat in the lobby and see each other arrive", async () => {
  const ada = await join("Ada")
  await ada.next("who")
  const bob = await join("Bob")
  // Ada sees joins (her own first), until Bob's.
  let joined = ""
  while (joined !== "Bob") joined = ((await ada.next("presence:join")) as { meta: { name: string } }).meta.name
  bob.socket.send(JSON.stringify({ text: "hello, Ada" }))
  assert.deepEqual(await ada.next("said"), { from: "Bob", text: "hello, Ada" })
  assert.deepEqual(await bob.next("said"), { from: "Bob", text: "hello, Ada" })
  ada.socket.close()
  bob.socket.close()
})
