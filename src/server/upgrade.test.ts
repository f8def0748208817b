import { connect } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { App } from "../app.js"
import { HttpError } from "../errors.js"
import type { TrussServer } from "./listen.js"
import { acceptUpgrade, type Upgrade } from "./upgrade.js"

const servers: TrussServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

async function serve(app: App): Promise<TrussServer> {
  const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 500 })
  servers.push(server)
  return server
}

/** Sends a raw upgrade request; resolves with everything the server wrote before closing. */
function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    let data = ""
    socket.setEncoding("latin1")
    socket.on("data", (chunk: string) => {
      data += chunk
      if (data.includes("hello from the handler")) socket.destroy()
    })
    socket.on("close", () => resolve(data))
    socket.on("error", reject)
    const lines = Object.entries({
      host: "localhost",
      connection: "Upgrade",
      upgrade: "x-test",
      ...headers,
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("")
    socket.write(`GET ${path} HTTP/1.1\r\n${lines}\r\n`)
  })
}

describe("upgrade hook", () => {
  it("hands the socket to the accepting handler after the middleware chain, with its headers", async () => {
    const app = new App()
    const seen: string[] = []
    app.use(async function mark(c, next) {
      seen.push(`before ${c.req.path}`)
      await next()
      c.header("set-cookie", "sid=1")
      seen.push("after")
    })
    app.get("/raw/:id", (c) => {
      const ok = acceptUpgrade(c, {
        upgrade(u: Upgrade, ctx) {
          seen.push(
            `upgrade ${ctx.params.id} ${u.req.headers.upgrade} ${String(ctx.headers["set-cookie"])}`,
          )
          u.socket.write(
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: x-test\r\nconnection: Upgrade\r\n\r\nhello from the handler",
          )
        },
      })
      return ok ? null : "plain"
    })
    const server = await serve(app)
    const text = await rawUpgrade(server.port, "/raw/7")
    expect(text).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: x-test\r\nconnection: Upgrade\r\n\r\nhello from the handler",
    )
    expect(seen).toEqual(["before /raw/7", "after", "upgrade 7 x-test sid=1"])
    expect(await (await app.request("/raw/7")).text()).toBe("plain")
  })

  it("answers 404 on a path with no route and destroys the socket", async () => {
    const server = await serve(new App().get("/", () => "home"))
    const text = await rawUpgrade(server.port, "/nowhere")
    expect(text.split("\r\n")[0]).toBe("HTTP/1.1 404 Not Found")
    expect(text).toContain("connection: close\r\n")
    expect(text).toContain('"code":"TRUSS_ERR_NOT_FOUND"')
  })

  it("answers 426 when the route answered without taking the socket", async () => {
    const server = await serve(new App().get("/", () => "home"))
    const text = await rawUpgrade(server.port, "/")
    expect(text).toBe(
      "HTTP/1.1 426 Upgrade Required\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\ncontent-length: 16\r\n\r\nUpgrade Required",
    )
  })

  it("writes the status a middleware refused with (403) and the handler never runs", async () => {
    let ran = false
    const app = new App()
    app.get(
      "/guarded",
      async function guard(c, next) {
        if (c.req.header("origin") !== "http://ok.test") throw new HttpError(403, "Bad origin")
        await next()
      },
      (c) => {
        ran = true
        acceptUpgrade(c, { upgrade: (u) => u.socket.destroy() })
        return null
      },
    )
    const server = await serve(app)
    const text = await rawUpgrade(server.port, "/guarded", { origin: "http://evil.test" })
    expect(text.split("\r\n")[0]).toBe("HTTP/1.1 403 Forbidden")
    expect(text).toContain('"detail":"Bad origin"')
    expect(ran).toBe(false)
  })

  it("calls the handler's close() when the server closes, and cuts upgraded sockets after shutdownTimeout", async () => {
    const app = new App()
    let closed = 0
    app.get("/hold", (c) => {
      acceptUpgrade(c, {
        upgrade: (u) => u.socket.write("HTTP/1.1 101 Switching Protocols\r\n\r\n"),
        close: () => {
          closed++
        },
      })
      return null
    })
    const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 200 })
    const socket = connect(server.port, "127.0.0.1")
    const gone = new Promise<void>((r) => socket.on("close", () => r()))
    socket.on("error", () => {})
    await new Promise<void>((r) => {
      socket.once("data", () => r())
      socket.write("GET /hold HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: x\r\n\r\n")
    })
    const started = Date.now()
    await server.close()
    await gone
    expect(closed).toBe(1)
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  })
})
