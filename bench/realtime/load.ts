/**
 * The load generator for the realtime bench: `load.ts <kind> <url,url,…> <connections> <echoConnections> <broadcasts>`.
 * Opens the connections (spread over the servers) with the lean client (lean-client.ts,
 * the same code for every server), then measures idle memory per connection, broadcast
 * delivery latency and rate, and echo throughput; prints one JSON line.
 *
 * Latency is from the server's send stamp (taken just before it starts the fan-out) to
 * each client's receipt, both read from the machine's monotonic clock
 * (`process.hrtime`, CLOCK_MONOTONIC, shared by every process). Broadcasts do not
 * overlap: the next is asked for only once every connection received the previous one
 * (or 10 s passed), then 100 ms later.
 */
import { clientFrame, type LeanConn, openLean } from "./lean-client.js"

const [kind, urlList, nArg, echoArg, bArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]
const urls = urlList.split(",").map((u) => new URL(u))
const N = Number(nArg)
const ECHO = Number(echoArg)
const BROADCASTS = Number(bArg)
const socketIo = kind === "socketio"
const path = socketIo ? "/socket.io/?EIO=4&transport=websocket" : "/ws"
const now = () => Number(process.hrtime.bigint()) / 1e6
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function stats(url: URL) {
  return (await (await fetch(new URL("/stats", url))).json()) as { rss: number; heap: number }
}

// Broadcast state: every delivery's latency, and the current broadcast's progress.
const latencies = new Float64Array(N * BROADCASTS)
let delivered = 0
let current = { stamp: Number.NaN, received: 0, last: 0 }
// Broadcasts whose deliveries were not all in by the deadline.
let incomplete = 0
// Echo state.
let echoes = 0
let echoing = false
const ECHO_FRAME = clientFrame(socketIo ? '42["m",{"e":1}]' : '{"e":1}')

const conns: LeanConn[] = []
const handlers = (index: number) => ({
  stamp(sentAt: number) {
    const t = now()
    // Broadcasts do not overlap, so a new stamp starts the next broadcast.
    if (sentAt !== current.stamp) current = { stamp: sentAt, received: 0, last: 0 }
    if (delivered < latencies.length) latencies[delivered++] = t - sentAt
    current.received++
    current.last = t
  },
  echo() {
    if (index >= ECHO) return
    echoes++
    if (echoing) conns[index]!.write(ECHO_FRAME)
  },
})

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const before = await Promise.all(urls.map(stats))
for (let i = 0; i < N; i += 200) {
  const batch = Array.from({ length: Math.min(200, N - i) }, (_, j) => {
    const url = urls[(i + j) % urls.length]!
    return openLean(url.hostname, Number(url.port), path, socketIo, handlers(i + j))
  })
  conns.push(...(await Promise.all(batch)))
}
await sleep(1000)
const after = await Promise.all(urls.map(stats))
const perConnection = (sum(after.map((a) => a.rss)) - sum(before.map((b) => b.rss))) / N
const heapPerConnection = (sum(after.map((a) => a.heap)) - sum(before.map((b) => b.heap))) / N

async function cpu(url: URL) {
  return ((await (await fetch(new URL("/cpu", url))).json()) as { cpu: number }).cpu
}

// Broadcasts, one at a time: the next once every connection received this one.
const cpuBefore = sum(await Promise.all(urls.map(cpu)))
const rates: number[] = []
for (let b = 0; b < BROADCASTS; b++) {
  const start = delivered
  await fetch(new URL("/broadcast?n=1&interval=0", urls[0]), { method: "POST" })
  const deadline = Date.now() + 10_000
  while (delivered - start < N && Date.now() < deadline) await sleep(2)
  // Deliveries per second during the fan-out: N over the send stamp to the last receipt.
  if (delivered - start >= N) rates.push((N / (current.last - current.stamp)) * 1000)
  else incomplete++
  await sleep(100)
}
// Server CPU (every process) over the broadcast phase, per delivery: robust to other
// jobs on the machine, which stretch the wall-clock figures.
const cpuMicros = sum(await Promise.all(urls.map(cpu))) - cpuBefore
const sorted = latencies.subarray(0, delivered).sort()
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
rates.sort((a, b) => a - b)
const broadcast = {
  delivered,
  expected: N * BROADCASTS,
  incomplete,
  p50: pct(50),
  p99: pct(99),
  max: sorted[sorted.length - 1] ?? Number.NaN,
  perSecond: rates[Math.floor(rates.length / 2)] ?? 0,
  perCpuSecond: delivered / (cpuMicros / 1e6),
}

// Echo: ECHO connections, one message in flight each, for 5 s.
echoes = 0
echoing = true
const echoStart = now()
for (const c of conns.slice(0, ECHO)) c.write(ECHO_FRAME)
if (ECHO > 0) await sleep(5000)
echoing = false
const echoPerSecond = echoes / ((now() - echoStart) / 1000)
for (const c of conns) c.close()
process.stdout.write(
  `${JSON.stringify({ kind, connections: conns.length, perConnection, heapPerConnection, broadcast, echoPerSecond })}\n`,
)
process.exit(0)
