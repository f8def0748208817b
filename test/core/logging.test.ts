import { afterEach, describe, expect, it, vi } from "vitest"
import { App } from "../../src/index.js"

/** A generated request id: 128 random bits in hex. */
const NEW_ID = /^[0-9a-f]{32}$/

type Line = Record<string, unknown>

/** An app whose logger writes JSON lines into `lines`. */
function loggedApp() {
  const lines: Line[] = []
  const destination = {
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line) lines.push(JSON.parse(line) as Line)
    },
  }
  const app = new App({ logger: { destination } })
  app.get("/users/:id", (c) => ({ id: c.params.id }))
  app.post("/login", (c) => {
    c.log.info(
      {
        headers: {
          authorization: "Bearer top-secret",
          cookie: "sid=abc",
          "set-cookie": "sid=abc; HttpOnly",
          accept: "application/json",
        },
      },
      "login headers",
    )
    return "ok"
  })
  app.get("/crash", () => {
    throw new Error("kaboom")
  })
  return { app, lines }
}

/** The request lines only (pino's `msg` is `METHOD path status ms`). */
function requestLines(lines: Line[]) {
  return lines.filter((l) => typeof l.ms === "number")
}

/** A request line without its volatile fields; checks `msg` and `ms` on the way. */
function shape(line: Line) {
  const { ms, msg, time, pid, hostname, ...rest } = line
  expect(typeof ms === "number" && ms >= 0).toBe(true)
  expect(msg).toBe(`${rest.method} ${rest.path} ${rest.status} ${ms}ms`)
  expect([typeof time, typeof pid, typeof hostname]).toEqual(["number", "number", "string"])
  return rest
}

describe("request logging", () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it("writes one JSON line per request through app.request/app.fetch and echoes a new id", async () => {
    const { app, lines } = loggedApp()
    const res = await app.request("/users/7?x=1")
    expect(res.status).toBe(200)
    const id = res.headers.get("x-request-id")
    expect(id).toMatch(NEW_ID)
    const logged = requestLines(lines)
    expect(logged.map(shape)).toEqual([
      {
        level: 30,
        reqId: id,
        method: "GET",
        path: "/users/7",
        status: 200,
      },
    ])
  })

  it("reuses an incoming x-request-id and echoes it", async () => {
    const { app, lines } = loggedApp()
    const res = await app.request("/nope", { headers: { "x-request-id": "edge-42" } })
    expect(res.status).toBe(404)
    expect(res.headers.get("x-request-id")).toBe("edge-42")
    expect(requestLines(lines).map(shape)).toEqual([
      {
        level: 30,
        reqId: "edge-42",
        method: "GET",
        path: "/nope",
        status: 404,
      },
    ])
  })

  it("logs the same fields over a real socket", async () => {
    const { app, lines } = loggedApp()
    const server = await app.listen({ port: 0, signals: false })
    try {
      const fresh = await fetch(`${server.url}/users/1`)
      const kept = await fetch(`${server.url}/users/2`, { headers: { "x-request-id": "sock-1" } })
      await fresh.text()
      await kept.text()
      const freshId = fresh.headers.get("x-request-id")
      expect(freshId).toMatch(NEW_ID)
      expect(kept.headers.get("x-request-id")).toBe("sock-1")
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(requestLines(lines).map(shape)).toEqual([
        { level: 30, reqId: freshId, method: "GET", path: "/users/1", status: 200 },
        { level: 30, reqId: "sock-1", method: "GET", path: "/users/2", status: 200 },
      ])
    } finally {
      await app.close()
    }
  })

  it("redacts authorization, cookie and set-cookie in logged headers", async () => {
    const { app, lines } = loggedApp()
    const res = await app.request("/login", { method: "POST", headers: { "x-request-id": "r1" } })
    expect(await res.text()).toBe("ok")
    const line = lines.find((l) => l.msg === "login headers")
    expect(line?.reqId).toBe("r1")
    expect(line?.headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "set-cookie": "[redacted]",
      accept: "application/json",
    })
    expect(JSON.stringify(lines)).not.toContain("top-secret")
  })

  it("redacts top-level password and secret fields, and body.password", async () => {
    const lines: Line[] = []
    const destination = {
      write(chunk: string) {
        for (const line of chunk.split("\n")) if (line) lines.push(JSON.parse(line) as Line)
      },
    }
    const app = new App({ logger: { destination } })
    app.get("/", (c) => {
      c.log.info(
        { password: "hunter2", secret: "s3", body: { user: "ada", password: "pw" } },
        "form",
      )
      return "ok"
    })
    await app.request("/")
    const line = lines.find((l) => l.msg === "form")
    expect(line?.password).toBe("[redacted]")
    expect(line?.secret).toBe("[redacted]")
    expect(line?.body).toEqual({ user: "ada", password: "[redacted]" })
  })

  it("logs a 5xx error with its stack under the request id", async () => {
    const { app, lines } = loggedApp()
    const res = await app.request("/crash", { headers: { "x-request-id": "boom-1" } })
    expect(res.status).toBe(500)
    const error = lines.find((l) => l.level === 50)
    expect(error?.reqId).toBe("boom-1")
    expect(error?.msg).toBe("kaboom")
    expect([error?.method, error?.path]).toEqual(["GET", "/crash"])
    const err = error?.err as { type: string; message: string; stack: string }
    expect([err.type, err.message]).toEqual(["Error", "kaboom"])
    expect(err.stack).toMatch(/^Error: kaboom\n {4}at .*logging\.test\.ts:\d+:\d+/)
    expect(requestLines(lines).map((l) => [l.reqId, l.status])).toEqual([["boom-1", 500]])
  })

  it("writes nothing and adds no x-request-id with logger: false", async () => {
    const write = vi.spyOn(process.stdout, "write")
    const app = new App({ logger: false })
    app.get("/crash", (c) => {
      c.log.info("hello")
      throw new Error("quiet")
    })
    const res = await app.request("/crash")
    expect(res.status).toBe(500)
    expect(res.headers.get("x-request-id")).toBe(null)
    expect(write).not.toHaveBeenCalled()
    expect(app.log.level).toBe("silent")
  })
})
