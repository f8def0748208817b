/**
 * One realtime server for the bench: `server.ts <floor|raw|truss|socketio|truss-redis> <port> [redisPrefix]`.
 * Serves WebSockets on `/ws` (every socket in one broadcast group, messages echoed) and a
 * control API: `GET /stats` (RSS and heap after GC), `POST /broadcast?n=&interval=`
 * (sends n 100-byte messages stamped with the send time, spaced by interval ms).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { Redis } from "ioredis"
import { Server as SocketIo } from "socket.io"
import { WebSocketServer } from "ws"
import { App } from "../../src/index.js"
import { realtime, redisBackplane } from "../../src/realtime/index.js"
import { textFrame } from "../../src/realtime/ws-frame.js"

const [kind, portArg, prefix] = process.argv.slice(2) as [string, string, string | undefined]
const port = Number(portArg)
const gc = (globalThis as { gc?: () => void }).gc
// The send stamp, on the monotonic clock every process on the machine shares.
const now = () => Number(process.hrtime.bigint()) / 1e6
const PAD = "x".repeat(60)

async function stats() {
  for (let i = 0; i < 3; i++) {
    gc?.()
    await new Promise((r) => setTimeout(r, 50))
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers }
}

/** Runs n broadcasts spaced by interval ms; resolves when the last is sent. */
async function broadcasts(
  n: number,
  interval: number,
  send: (payload: { t: number; p: string }) => void,
) {
  for (let i = 0; i < n; i++) {
    send({ t: now(), p: PAD })
    await new Promise((r) => setTimeout(r, interval))
  }
}

function control(url: URL, send: (payload: { t: number; p: string }) => void): Promise<unknown> {
  if (url.pathname === "/stats") return stats()
  if (url.pathname === "/cpu") {
    // CPU time this process used, user + system (the kernel's loopback TCP work is
    // charged to the writer), in microseconds: the cost of a fan-out whatever else runs.
    const { user, system } = process.cpuUsage()
    return Promise.resolve({ cpu: user + system })
  }
  const n = Number(url.searchParams.get("n") ?? 10)
  const interval = Number(url.searchParams.get("interval") ?? 100)
  return broadcasts(n, interval, send).then(() => ({ sent: n }))
}

function plain(send: (payload: { t: number; p: string }) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    control(new URL(req.url ?? "/", "http://x"), send).then((body) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    })
  }
}

if (kind === "floor") {
  // Not a WebSocket server: the cost of the writes alone. The upgrade is answered by hand,
  // and a broadcast writes one prebuilt frame to every socket (what any server must do).
  const sockets = new Set<import("node:stream").Duplex>()
  const server = createServer(
    plain((p) => {
      const frame = textFrame(Buffer.from(JSON.stringify(p)))
      for (const s of sockets) s.write(frame)
    }),
  )
  server.on("upgrade", (_req, socket) => {
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    )
    sockets.add(socket)
    socket.on("data", () => {})
    socket.on("close", () => sockets.delete(socket))
  })
  server.listen(port, "127.0.0.1")
} else if (kind === "raw") {
  const clients = new Set<import("ws").WebSocket>()
  const server = createServer(
    plain((p) => {
      const text = JSON.stringify(p)
      for (const c of clients) c.send(text)
    }),
  )
  const wss = new WebSocketServer({ server, path: "/ws", perMessageDeflate: false })
  wss.on("connection", (ws) => {
    clients.add(ws)
    ws.on("message", (m) => ws.send(m, { binary: false }))
    ws.on("close", () => clients.delete(ws))
  })
  server.listen(port, "127.0.0.1")
} else if (kind === "socketio") {
  let io: SocketIo | undefined
  const server = createServer(plain((p) => io?.emit("b", p)))
  io = new SocketIo(server, { transports: ["websocket"], perMessageDeflate: false })
  io.on("connection", (s) => s.on("m", (d: unknown) => s.emit("m", d)))
  server.listen(port, "127.0.0.1")
} else {
  const app = new App({ logger: false })
  const backplane =
    kind === "truss-redis"
      ? redisBackplane({ client: new Redis(), prefix: prefix ?? "bench:rt:" })
      : undefined
  const rt = realtime(app, backplane ? { backplane, rateLimit: false } : { rateLimit: false })
  rt.channel("all")
  rt.ws("/ws", { open: (s) => s.join("all"), message: (s, d) => s.send("m", d) })
  app.all("/*", (c) => control(new URL(c.req.url), (p) => void rt.publish("all", "b", p)))
  await app.listen({ port, signals: false })
}
// Exit (not die) on SIGINT so that `--cpu-prof` writes its profile.
process.once("SIGINT", () => process.exit(0))
process.stdout.write("ready\n")
