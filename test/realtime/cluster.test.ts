import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer } from "node:net"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { afterAll, describe, expect, it } from "vitest"
import { createClient, type TestSocket } from "../../src/testing/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { sleep } from "./helpers.js"

const ROOT = join(import.meta.dirname, "../..")
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) c.kill("SIGKILL")
})

interface Node {
  readonly url: string
  readonly child: ChildProcess
  presence(room: string): Promise<string[]>
  open(user: string): Promise<TestSocket>
}

async function startNode(kind: "redis" | "postgres", url: string, name: string): Promise<Node> {
  // node itself with tsx as its loader, not the tsx wrapper: SIGKILL must reach the server.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/node-server.ts"), kind, url, name],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  )
  children.push(child)
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()
  const { port } = JSON.parse(first.value as string) as { port: number }
  const base = `http://127.0.0.1:${port}`
  return {
    url: base,
    child,
    presence: async (room) => (await fetch(`${base}/presence/${room}`)).json() as Promise<string[]>,
    open: (user) => createClient(base).ws(`/ws?user=${user}`),
  }
}

async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout
  let last: T | undefined
  while (Date.now() < end) {
    last = await read()
    if (JSON.stringify(last) === JSON.stringify(expected)) return
    await sleep(50)
  }
  expect(last).toEqual(expected)
}

const said = (frames: readonly { event?: string; data?: unknown }[]) =>
  frames.filter((f) => f.event === "said").map((f) => (f.data as { text: string }).text)

async function shareBroadcastsAndPresence(nodes: Node[]) {
  const [ada, bob, cy] = await Promise.all([
    nodes[0]!.open("ada"),
    nodes[1]!.open("bob"),
    nodes[2]!.open("cy"),
  ])
  for (const s of [ada!, bob!, cy!]) s.send({ op: "join", room: "rooms/1" })
  for (const n of nodes) await eventually(() => n.presence("1"), ["ada", "bob", "cy"])
  ada!.send({ op: "say", room: "rooms/1", text: "hi" })
  expect(await bob!.nextEvent("said", "rooms/1", 5000)).toMatchObject({
    channel: "rooms/1",
    data: { from: "ada", text: "hi" },
  })
  expect(await cy!.nextEvent("said", "rooms/1", 5000)).toMatchObject({
    channel: "rooms/1",
    data: { from: "ada", text: "hi" },
  })
  await sleep(100)
  expect(said(ada!.pending)).toEqual([])
  return { ada: ada!, bob: bob!, cy: cy! }
}

const procs = [
  [
    "redis",
    SERVICES.redis.url,
    () => `truss:test:rt:${randomBytes(4).toString("hex")}:`,
    await hasService("redis"),
  ],
  [
    "postgres",
    SERVICES.postgres.url,
    () => `truss_rt_${randomBytes(4).toString("hex")}`,
    await hasService("postgres"),
  ],
] as const

for (const [kind, url, name, up] of procs) {
  describe.skipIf(!up)(`three processes over ${kind}`, () => {
    it("share broadcasts and presence; a killed process drops out of presence by TTL", async () => {
      const channel = name()
      const nodes = await Promise.all([0, 1, 2].map(() => startNode(kind, url, channel)))
      const { ada, bob, cy } = await shareBroadcastsAndPresence(nodes)
      nodes[2]!.child.kill("SIGKILL")
      const left = await ada.nextEvent("presence:leave", "rooms/1", 5000)
      expect(left.data).toMatchObject({ user: "cy", meta: { name: "cy" } })
      await eventually(() => nodes[0]!.presence("1"), ["ada", "bob"])
      await eventually(() => nodes[1]!.presence("1"), ["ada", "bob"])
      bob.send({ op: "say", room: "rooms/1", text: "still here" })
      expect((await ada.nextEvent("said", "rooms/1", 5000)).data).toEqual({
        from: "bob",
        text: "still here",
      })
      await ada.close()
      await bob.close()
      void cy
      for (const n of nodes.slice(0, 2)) n.child.kill("SIGTERM")
    }, 60_000)
  })
}

/** A free TCP port for our own redis-server. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  )
  children.push(redis)
  for await (const line of createInterface({ input: redis.stdout! }))
    if (line.includes("Ready to accept connections")) break
  return redis
}

describe("a Redis restart in the middle", () => {
  it("is survived: nodes reconnect and resubscribe; broadcasts during the outage reach only their own process", async () => {
    const port = await freePort()
    let redis = await startRedis(port)
    const url = `redis://127.0.0.1:${port}`
    const nodes = await Promise.all(
      [0, 1, 2].map(() => startNode("redis", url, "truss:test:rt:restart:")),
    )
    const { ada, bob, cy } = await shareBroadcastsAndPresence(nodes)
    const adaToo = await nodes[0]!.open("ada2")
    adaToo.send({ op: "join", room: "rooms/1" })
    await eventually(() => nodes[0]!.presence("1"), ["ada", "ada2", "bob", "cy"])
    await eventually(() => nodes[1]!.presence("1"), ["ada", "ada2", "bob", "cy"])

    redis.kill("SIGKILL")
    await new Promise((r) => redis.once("exit", r))
    ada.send({ op: "say", room: "rooms/1", text: "during" })
    expect((await adaToo.nextEvent("said", "rooms/1", 5000)).data).toEqual({
      from: "ada",
      text: "during",
    })
    // Every node still serves HTTP and WebSocket while Redis is down.
    for (const n of nodes) expect(await n.presence("1")).toEqual(["ada", "ada2", "bob", "cy"])
    await sleep(300)

    redis = await startRedis(port)
    // Reconnected once a probe gets through; then a broadcast reaches every process.
    for (let i = 0; ; i++) {
      if (i > 100) throw new Error("the nodes never came back")
      ada.send({ op: "say", room: "rooms/1", text: `probe ${i}` })
      await sleep(100)
      if (
        said(bob.pending).some((t) => t.startsWith("probe")) &&
        said(cy.pending).some((t) => t.startsWith("probe"))
      )
        break
    }
    ada.send({ op: "say", room: "rooms/1", text: "after" })
    for (const s of [bob, cy]) {
      await eventually(() => Promise.resolve(said(s.pending).includes("after")), true)
      // What arrived since the outage: probes that got through, then "after"; never "during".
      expect(said(s.pending).filter((t) => !t.startsWith("probe"))).toEqual(["after"])
    }
    for (const n of nodes) await eventually(() => n.presence("1"), ["ada", "ada2", "bob", "cy"])
    for (const n of nodes) expect(n.child.exitCode).toBe(null)
    for (const s of [ada, adaToo, bob, cy]) await s.close()
    for (const n of nodes) n.child.kill("SIGTERM")
  }, 90_000)
})
