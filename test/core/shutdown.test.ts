import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { request as httpsRequest } from "node:https"
import { connect, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { selfSignedCert } from "../support/tls.js"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const FIXTURE = fileURLToPath(new URL("./fixtures/sigterm-server.ts", import.meta.url))

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Resolves with the error code of a TCP connect attempt, or "connected". */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resolve("connected")
    })
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

/** Opens a raw keep-alive connection, completes one request on it and leaves it idle. */
function idleKeepAlive(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    const closed = new Promise<void>((done) => socket.once("close", () => done()))
    let seen = ""
    socket.setEncoding("latin1")
    socket.on("error", reject)
    socket.on("data", (d: string) => {
      seen += d
      if (seen.endsWith("fast")) resolve({ socket, closed })
    })
    socket.write("GET /fast HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
  })
}

describe("graceful shutdown", () => {
  it("finishes an in-flight request, refuses new connections, closes idle sockets, then runs onClose", async () => {
    const events: string[] = []
    let started!: () => void
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve
    })
    const app = new App({ logger: false })
    app.get("/fast", () => "fast")
    app.get("/slow", async () => {
      started()
      await sleep(500)
      events.push("slow handler done")
      return { slow: "done" }
    })
    app.onClose(() => {
      events.push("onClose")
    })
    const server = await app.listen({ port: 0, signals: false })
    const idle = await idleKeepAlive(server.port)

    const slow = fetch(`${server.url}/slow`)
    await handlerStarted
    const closing = app.close().then(() => events.push("close resolved"))

    expect(await tryConnect(server.port)).toBe("ECONNREFUSED")
    await idle.closed
    events.push("idle socket closed")

    const res = await slow
    expect(res.status).toBe(200)
    expect(res.headers.get("connection")).toBe("close")
    expect(await res.json()).toEqual({ slow: "done" })
    await closing
    expect(events).toEqual(["idle socket closed", "slow handler done", "onClose", "close resolved"])
  })

  it("closes at once a connection that never sent a request", async () => {
    const app = new App({ logger: false })
    app.get("/", () => "ok")
    const server = await app.listen({ port: 0, signals: false })
    const silent = connect(server.port, "127.0.0.1")
    await new Promise((resolve) => silent.once("connect", resolve))
    const closed = new Promise<void>((resolve) => silent.once("close", () => resolve()))
    await sleep(20)
    const before = performance.now()
    await app.close()
    await closed
    expect(performance.now() - before).toBeLessThan(1000)
  })

  it("cuts requests that outlive shutdownTimeout", async () => {
    const app = new App({ logger: false })
    app.get("/hang", () => new Promise(() => {}))
    const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 200 })
    const hanging = fetch(`${server.url}/hang`).then(
      () => "answered",
      (err: Error) => err.name,
    )
    await sleep(50)
    const before = performance.now()
    await app.close()
    const took = performance.now() - before
    expect(took).toBeGreaterThanOrEqual(190)
    expect(took).toBeLessThan(2000)
    expect(await hanging).toBe("TypeError")
  })

  describe("SIGTERM", () => {
    let child: ChildProcess | undefined
    afterAll(() => {
      if (child && child.exitCode === null) child.kill("SIGKILL")
    })

    it("finishes the in-flight request and exits 0", async () => {
      child = spawn(join(ROOT, "node_modules/.bin/tsx"), [FIXTURE], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      })
      const proc = child
      const lines: string[] = []
      const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = []
      let buffer = ""
      proc.stdout!.setEncoding("utf8")
      proc.stdout!.on("data", (d: string) => {
        buffer += d
        let nl = buffer.indexOf("\n")
        while (nl !== -1) {
          const line = buffer.slice(0, nl)
          buffer = buffer.slice(nl + 1)
          lines.push(line)
          for (const w of waiters.filter((w) => w.match(line))) w.resolve(line)
          nl = buffer.indexOf("\n")
        }
      })
      const waitFor = (match: (l: string) => boolean) =>
        new Promise<string>((resolve) => {
          const hit = lines.find(match)
          if (hit) resolve(hit)
          else waiters.push({ match, resolve })
        })
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        proc.once("exit", (code, signal) => resolve({ code, signal })),
      )

      const { port } = JSON.parse(await waitFor((l) => l.startsWith("{"))) as { port: number }
      const slow = fetch(`http://127.0.0.1:${port}/slow`)
      await waitFor((l) => l === "started")
      proc.kill("SIGTERM")

      const res = await slow
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ slow: "done" })
      expect(await exited).toEqual({ code: 0, signal: null })
      expect(lines.slice(1)).toEqual(["started", "closed"])
    })
  })
})

describe("https", () => {
  const dir = mkdtempSync(join(tmpdir(), "truss-tls-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("serves over TLS with a self-signed certificate; c.req.protocol is https and cookies are Secure", async () => {
    const { key, cert } = selfSignedCert(dir)
    const app = new App({ logger: false })
    app.get("/", (c) => {
      c.cookie("sid", "1")
      return { protocol: c.req.protocol, url: c.req.url }
    })
    const server = await app.listen({ port: 0, signals: false, https: { key, cert } })
    try {
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`)
      const res = await new Promise<{ status: number; cookie: string[]; body: string }>(
        (resolve, reject) => {
          const req = httpsRequest(
            { host: "127.0.0.1", port: server.port, path: "/?a=1", ca: cert },
            (r) => {
              let body = ""
              r.setEncoding("utf8")
              r.on("data", (d: string) => {
                body += d
              })
              r.on("end", () =>
                resolve({ status: r.statusCode!, cookie: r.headers["set-cookie"] ?? [], body }),
              )
            },
          )
          req.on("error", reject)
          req.end()
        },
      )
      expect(res).toEqual({
        status: 200,
        cookie: ["sid=1; Path=/; HttpOnly; Secure; SameSite=Lax"],
        body: JSON.stringify({
          protocol: "https",
          url: `https://127.0.0.1:${server.port}/?a=1`,
        }),
      })
    } finally {
      await app.close()
    }
  })
})
