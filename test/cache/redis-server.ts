import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { Redis } from "ioredis"
import { expect } from "vitest"

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Starts an own redis-server (no persistence) on `port` and waits until it answers. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  )
  for (let i = 0; i < 100; i++) {
    const probe = new Redis({
      port,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    })
    probe.on("error", () => {})
    const ok = await probe.connect().then(
      () => true,
      () => false,
    )
    probe.disconnect()
    if (ok) return child
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`redis-server did not start on port ${port}`)
}

/** A client for an own redis-server that fails fast while it is down and reconnects. */
export function outageClient(port: number): Redis {
  const client = new Redis({
    port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  })
  client.on("error", () => {})
  return client
}

/** Waits until the client has (re)connected. */
export async function ready(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && client.status !== "ready"; i++)
    await new Promise((r) => setTimeout(r, 25))
  expect(client.status).toBe("ready")
}

/** Kills the redis-server (SIGKILL: an outage, not a shutdown) and waits for it to exit. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })
}

/** Waits until the client has noticed that its server is gone. */
export async function noticedDown(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && client.status === "ready"; i++)
    await new Promise((r) => setTimeout(r, 10))
  expect(client.status).not.toBe("ready")
}
