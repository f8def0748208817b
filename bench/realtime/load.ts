/**
 * The load generator for the realtime bench: `load.ts <kind> <url,url,…> <connections> <echoConnections> <broadcasts>`.
 * Opens the connections (spread over the servers), then measures idle memory per
 * connection, broadcast delivery latency and rate, and echo throughput; prints one JSON line.
 */
import { type Socket as IoSocket, io as ioClient } from "socket.io-client"
import { WebSocket } from "ws"

const [kind, urlList, nArg, echoArg, bArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]
const urls = urlList.split(",")
const N = Number(nArg)
const ECHO = Number(echoArg)
const BROADCASTS = Number(bArg)
const now = () => performance.timeOrigin + performance.now()

interface Conn {
  send(text: unknown): void
  onMessage(fn: (event: string, data: { t?: number }) => void): void
  close(): void
}

function openWs(url: string): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws`, { perMessageDeflate: false })
    let fn: (event: string, data: { t?: number }) => void = () => {}
    ws.on("message", (m) => {
      const frame = JSON.parse(String(m)) as { event?: string; data?: { t?: number }; t?: number }
      if (kind === "raw") fn(frame.t === undefined ? "m" : "b", frame as { t?: number })
      else fn(frame.event ?? "", frame.data ?? {})
    })
    ws.once("open", () =>
      resolve({
        send: (v) => ws.send(JSON.stringify(v)),
        onMessage: (f) => (fn = f),
        close: () => ws.terminate(),
      }),
    )
    ws.once("error", reject)
  })
}

function openIo(url: string): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const s: IoSocket = ioClient(url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    })
    let fn: (event: string, data: { t?: number }) => void = () => {}
    s.on("b", (d: { t?: number }) => fn("b", d))
    s.on("m", (d: { t?: number }) => fn("m", d))
    s.once("connect", () =>
      resolve({
        send: (v) => s.emit("m", v),
        onMessage: (f) => (fn = f),
        close: () => s.disconnect(),
      }),
    )
    s.once("connect_error", reject)
  })
}

async function stats(url: string) {
  return (await (await fetch(`${url}/stats`)).json()) as {
    rss: number
    heap: number
    external: number
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const before = await Promise.all(urls.map(stats))
const conns: Conn[] = []
for (let i = 0; i < N; i += 200) {
  const batch = Array.from({ length: Math.min(200, N - i) }, (_, j) =>
    (kind === "socketio" ? openIo : openWs)(urls[(i + j) % urls.length]!),
  )
  conns.push(...(await Promise.all(batch)))
}
await new Promise((r) => setTimeout(r, 1000))
const after = await Promise.all(urls.map(stats))
const perConnection = (sum(after.map((a) => a.rss)) - sum(before.map((b) => b.rss))) / N
const heapPerConnection = (sum(after.map((a) => a.heap)) - sum(before.map((b) => b.heap))) / N

// Broadcast: every delivery's latency from the server's send stamp.
const latencies: number[] = []
// Per broadcast (keyed by its send stamp): when its last delivery arrived.
const lastOf = new Map<number, number>()
for (const c of conns) {
  c.onMessage((event, data) => {
    if (event !== "b" || data.t === undefined) return
    const t = now()
    latencies.push(t - data.t)
    lastOf.set(data.t, t)
  })
}
await fetch(`${urls[0]}/broadcast?n=${BROADCASTS}&interval=500`, { method: "POST" })
const expected = N * BROADCASTS
const deadline = Date.now() + 30_000
while (latencies.length < expected && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 20))
latencies.sort((a, b) => a - b)
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? Number.NaN
// Deliveries per second while a fan-out runs: N over the time from its send to its last
// delivery, the median over the broadcasts (they are spaced so they do not overlap).
const rates = [...lastOf].map(([sent, done]) => (N / (done - sent)) * 1000).sort((a, b) => a - b)
const broadcast = {
  delivered: latencies.length,
  expected,
  p50: pct(50),
  p99: pct(99),
  perSecond: rates[Math.floor(rates.length / 2)] ?? 0,
}

// Echo: ECHO connections, one message in flight each, for 5 s.
let echoes = 0
let running = true
const echoing = conns.slice(0, ECHO)
for (const c of echoing) {
  c.onMessage((event) => {
    if (event !== "m") return
    echoes++
    if (running) c.send({ e: 1 })
  })
}
const echoStart = now()
for (const c of echoing) c.send({ e: 1 })
await new Promise((r) => setTimeout(r, 5000))
running = false
const echoPerSecond = echoes / ((now() - echoStart) / 1000)
for (const c of conns) c.close()
process.stdout.write(
  `${JSON.stringify({ kind, connections: conns.length, perConnection, heapPerConnection, broadcast, echoPerSecond })}\n`,
)
process.exit(0)
