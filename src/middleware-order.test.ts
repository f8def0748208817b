import { describe, expect, it } from "vitest"
import { App } from "./app.js"
import { Blueprint } from "./blueprint.js"
import type { Middleware } from "./compose.js"
import type { Context } from "./context.js"
import { WebRequest } from "./server/web-request.js"

/** A middleware that records when it runs before and after `next()`. */
function trace(log: string[], name: string): Middleware {
  return async function traced(_c, next) {
    log.push(`${name}:before`)
    await next()
    log.push(`${name}:after`)
  }
}

describe("middleware order", () => {
  it("runs app, then blueprint, then route middleware as an onion around the handler", async () => {
    const log: string[] = []
    const app = new App({ logger: false })
    const bp = new Blueprint({ prefix: "/bp" })
    bp.use(trace(log, "bp1"), trace(log, "bp2"))
    bp.get("/x", trace(log, "route1"), trace(log, "route2"), () => {
      log.push("handler")
      return "ok"
    })
    app.use(trace(log, "app1"))
    app.register(bp)
    app.use(trace(log, "app2"))
    const res = await app.request("/bp/x")
    expect(await res.text()).toBe("ok")
    expect(log).toEqual([
      "app1:before",
      "app2:before",
      "bp1:before",
      "bp2:before",
      "route1:before",
      "route2:before",
      "handler",
      "route2:after",
      "route1:after",
      "bp2:after",
      "bp1:after",
      "app2:after",
      "app1:after",
    ])
  })

  it("runs app middleware for 404s and 405s but not blueprint middleware", async () => {
    const log: string[] = []
    const app = new App({ logger: false })
    const bp = new Blueprint({ prefix: "/bp" }).use(trace(log, "bp"))
    bp.get("/x", () => "x")
    app.use(trace(log, "app")).register(bp)
    expect((await app.request("/missing")).status).toBe(404)
    expect((await app.request("/bp/x", { method: "POST" })).status).toBe(405)
    expect(log).toEqual(["app:before", "app:after", "app:before", "app:after"])
  })

  it("answers early when a middleware returns a value without calling next()", async () => {
    const log: string[] = []
    const app = new App({ logger: false })
    app.use(trace(log, "outer"))
    app.use(async function gate(c) {
      if (c.req.header("authorization") === undefined) return c.json({ error: "login" }, 401)
    })
    app.get("/secret", () => {
      log.push("handler")
      return "secret"
    })
    const res = await app.request("/secret")
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: "login" })
    expect(log).toEqual(["outer:before", "outer:after"])
  })

  it("lets outer middleware change the response after next()", async () => {
    const app = new App({ logger: false })
    app.use(async function stamp(c, next) {
      await next()
      c.header("x-handled-by", "stamp")
      c.status = 201
    })
    app.get("/", () => ({ ok: true }))
    const res = await app.request("/")
    expect(res.status).toBe(201)
    expect(res.headers.get("x-handled-by")).toBe("stamp")
    expect(await res.json()).toEqual({ ok: true })
  })

  it("turns a second next() call into TRUSS_ERR_NEXT_CALLED_TWICE", async () => {
    const app = new App({ logger: false, debug: true })
    let seen: unknown
    app.use(async function observe(c, next) {
      await next()
      seen = c.error
    })
    app.use(async function twice(_c, next) {
      await next()
      await next()
    })
    app.get("/", () => "ok")
    const res = await app.request("/", { headers: { accept: "application/json" } })
    expect(res.status).toBe(500)
    const body = (await res.json()) as { code: string; detail: string }
    expect(body.code).toBe("TRUSS_ERR_NEXT_CALLED_TWICE")
    expect(body.detail).toBe(
      "A middleware called next() more than once. Call await next() exactly once.",
    )
    expect((seen as { code: string }).code).toBe("TRUSS_ERR_NEXT_CALLED_TWICE")
  })

  it("shows a handler's error to outer middleware as c.error with status 500", async () => {
    const app = new App({ logger: false })
    const boom = new Error("db down")
    const seen: { error: unknown; status: number }[] = []
    app.use(async function observe(c, next) {
      await next()
      seen.push({ error: c.error, status: c.status })
    })
    app.get("/", () => {
      throw boom
    })
    const res = await app.request("/")
    expect(res.status).toBe(500)
    expect(seen).toEqual([{ error: boom, status: 500 }])
  })

  it("runs sync pass-through middleware (`return next()`) in order, errors and early answers included", async () => {
    const app = new App({ logger: false })
    const log: string[] = []
    app.use(async function outer(c, next) {
      await next()
      log.push(`outer:after ${c.status}`)
    })
    app.use(function passA(_c, next) {
      log.push("a")
      return next()
    })
    app.use(function chained(c, next) {
      return next().then(() => {
        log.push(`chained:after ${c.status}`)
      })
    })
    app.use(function passB(c, next) {
      log.push("b")
      if (c.req.path === "/early") return { early: true }
      if (c.req.path === "/direct") {
        // Answers through the context and returns nothing, without calling next().
        c.text("direct", 202)
        return
      }
      return next()
    })
    app.get("/ok", () => ({ ok: true }))
    app.get("/early", () => ({ early: false }))
    app.get("/boom", () => {
      throw new Error("boom")
    })
    const ok = await app.request("/ok")
    expect([ok.status, await ok.json()]).toEqual([200, { ok: true }])
    const early = await app.request("/early")
    expect([early.status, await early.json()]).toEqual([200, { early: true }])
    const direct = await app.request("/direct")
    expect([direct.status, await direct.text()]).toEqual([202, "direct"])
    const boom = await app.request("/boom")
    expect(boom.status).toBe(500)
    expect(log).toEqual([
      "a",
      "b",
      "chained:after 200",
      "outer:after 200",
      "a",
      "b",
      "chained:after 200",
      "outer:after 200",
      "a",
      "b",
      "chained:after 202",
      "outer:after 202",
      "a",
      "b",
      "chained:after 500",
      "outer:after 500",
    ])
  })

  it("shows a synchronous middleware throw to outer middleware too", async () => {
    const app = new App({ logger: false })
    const seen: unknown[] = []
    app.use(async function observe(c, next) {
      await next()
      seen.push(c.error)
    })
    app.use(function explode() {
      throw new TypeError("bad")
    })
    app.get("/", () => "never")
    const res = await app.request("/")
    expect(res.status).toBe(500)
    expect(seen.map((e) => (e as Error).message)).toEqual(["bad"])
  })

  it("turns a handler that returns nothing into TRUSS_ERR_NO_RESPONSE", async () => {
    const app = new App({ logger: false, debug: true })
    app.get("/void", () => undefined)
    const res = await app.request("/void", { headers: { accept: "application/json" } })
    expect(res.status).toBe(500)
    const body = (await res.json()) as { code: string; detail: string }
    expect(body.code).toBe("TRUSS_ERR_NO_RESPONSE")
    expect(body.detail).toBe(
      "The handler for GET /void returned undefined. Return a value (object, string, Response) or call c.json()/c.text()/c.html().",
    )
  })
})

describe("hooks", () => {
  it("runs onRequest before and onResponse after the handler, errors included", async () => {
    const log: string[] = []
    const app = new App({ logger: false })
    app.onRequest(function before(c) {
      log.push(`request ${c.req.path}`)
    })
    app.onResponse(function after(c) {
      log.push(`response ${c.status}`)
      c.header("x-after", "1")
    })
    app.get("/ok", () => "ok")
    app.get("/fail", () => {
      throw new Error("x")
    })
    const ok = await app.request("/ok")
    const fail = await app.request("/fail")
    expect(ok.headers.get("x-after")).toBe("1")
    expect(fail.headers.get("x-after")).toBe("1")
    expect(log).toEqual(["request /ok", "response 200", "request /fail", "response 500"])
  })

  it("answers early when onRequest returns a value, and onResponse still runs", async () => {
    const log: string[] = []
    const app = new App({ logger: false })
    app.onResponse(() => {
      log.push("after")
    })
    app.onRequest((c) => (c.req.query.has("block") ? c.text("blocked", 403) : undefined))
    app.get("/", () => {
      log.push("handler")
      return "open"
    })
    const blocked = await app.request("/?block")
    expect(blocked.status).toBe(403)
    expect(await blocked.text()).toBe("blocked")
    const open = await app.request("/")
    expect(await open.text()).toBe("open")
    expect(log).toEqual(["after", "handler", "after"])
  })

  it("handles errors by status, by class, and falls through when a handler returns undefined", async () => {
    class PaymentError extends Error {
      readonly amount = 42
    }
    const app = new App({ logger: false })
    const calls: string[] = []
    app.onError(() => {
      calls.push("catch-all")
      return undefined
    })
    app.onError(404, (err, c) => c.json({ missing: c.req.path, code: err.code }, 404))
    app.onError(PaymentError, (err, c) => c.json({ amount: err.amount }, 402))
    app.get("/pay", () => {
      throw new PaymentError("no funds")
    })
    app.get("/teapot", () => {
      throw new Error("unhandled")
    })
    const missing = await app.request("/nowhere")
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ missing: "/nowhere", code: "TRUSS_ERR_NOT_FOUND" })
    const pay = await app.request("/pay")
    expect(pay.status).toBe(402)
    expect(await pay.json()).toEqual({ amount: 42 })
    const other = await app.request("/teapot")
    expect(other.status).toBe(500)
    expect(calls).toEqual(["catch-all", "catch-all", "catch-all"])
  })

  it("renders the default error when an error handler itself throws", async () => {
    const app = new App({ logger: false })
    app.onError(() => {
      throw new Error("handler broke")
    })
    app.get("/", () => {
      throw new Error("first")
    })
    const res = await app.request("/")
    expect(res.status).toBe(500)
    expect(((await res.json()) as { code: string }).code).toBe("TRUSS_ERR_INTERNAL")
  })

  it("tries a blueprint's error handlers before the app's", async () => {
    const app = new App({ logger: false })
    const api = new Blueprint({ prefix: "/api" })
    api.onError(400, (err, c) => c.json({ from: "api", detail: err.message }, 400))
    api.post("/bad", async (c) => c.req.json())
    app.onError(400, (_err, c) => c.json({ from: "app" }, 400))
    app.post("/bad", async (c) => c.req.json())
    app.register(api)
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: "{" }
    const fromApi = await app.request("/api/bad", init)
    expect(await fromApi.json()).toEqual({
      from: "api",
      detail:
        "The request body is not valid JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2).",
    })
    expect(await (await app.request("/bad", init)).json()).toEqual({ from: "app" })
  })

  it("replaces the 404 handler with app.notFound()", async () => {
    const app = new App({ logger: false })
    app.notFound((c) => c.html(`<h1>Nothing at ${c.req.path}</h1>`, 404))
    app.get("/here", () => "here")
    const res = await app.request("/there")
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await res.text()).toBe("<h1>Nothing at /there</h1>")
    expect((await app.request("/here", { method: "POST" })).status).toBe(405)
  })

  it("runs onClose hooks when the app closes", async () => {
    const app = new App({ logger: false })
    const log: string[] = []
    app.onClose(() => {
      log.push("first")
    })
    app.onClose(async () => {
      log.push("second")
    })
    await app.close()
    expect(log).toEqual(["first", "second"])
  })
})

describe("synchronous chains", () => {
  const request = () => new WebRequest(new Request("http://localhost/"))

  it("answer in the same tick when every middleware passes through and the handler is sync", () => {
    const app = new App({ logger: false })
    app.use(
      (_c, next) => next(),
      (c, next) => {
        c.header("x-a", "1")
        return next()
      },
    )
    app.get("/", () => "hi")
    const c = app.handle(request())
    expect(c).not.toBeInstanceOf(Promise)
    expect((c as Context).body).toBe("hi")
    expect((c as Context).headers["x-a"]).toBe("1")
  })

  it("stay asynchronous when a middleware or the handler awaits, with the same result", async () => {
    const app = new App({ logger: false })
    const seen: string[] = []
    app.use(async (_c, next) => {
      await next()
      seen.push("after")
    })
    app.get("/", async () => "later")
    const c = app.handle(request())
    expect(c).toBeInstanceOf(Promise)
    expect((await c).body).toBe("later")
    expect(seen).toEqual(["after"])
  })

  it("run next().then() callbacks of pass-through middleware before the response is used", async () => {
    const app = new App({ logger: false })
    app.use((c, next) => next().then(() => c.header("x-after", "yes")))
    app.get("/", () => "hi")
    const res = await app.request("/")
    expect(res.headers.get("x-after")).toBe("yes")
    expect(await res.text()).toBe("hi")
  })
})
