import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { App } from "./app.js"
import { Blueprint } from "./blueprint.js"
import { TrussError } from "./errors.js"

const FILE = fileURLToPath(import.meta.url)
const SOURCE = readFileSync(FILE, "utf8").split("\n")

/** The 1-based line of this file that carries `marker` (in a trailing comment). */
function lineOf(marker: string): number {
  const index = SOURCE.findIndex((l) => l.endsWith(`// ${marker}`))
  if (index === -1) throw new Error(`marker ${marker} not found`)
  return index + 1
}

function catchError(fn: () => unknown): TrussError {
  try {
    fn()
  } catch (err) {
    if (err instanceof TrussError) return err
    throw err
  }
  throw new Error("expected a TrussError")
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

describe("blueprints", () => {
  it("combines prefixes and names of nested blueprints", async () => {
    const api = new Blueprint({ prefix: "/api", name: "api" })
    const users = new Blueprint({ prefix: "/users", name: "users" })
    users.get("/:id", { name: "show" }, (c) => ({
      id: c.params.id,
      route: [c.route?.method, c.route?.path, c.route?.name],
    }))
    api.register(users)
    const app = new App().register(api)
    expect(app.url("api.users.show", { id: 3 })).toBe("/api/users/3")
    const res = await app.request("/api/users/3")
    expect(await res.json()).toEqual({
      id: "3",
      route: ["GET", "/api/users/:id", "api.users.show"],
    })
  })

  it("keeps route names unprefixed for blueprints without a name", () => {
    const bp = new Blueprint({ prefix: "/v1" })
    bp.get("/ping", { name: "ping" }, () => "pong")
    const app = new App().register(bp)
    expect(app.url("ping")).toBe("/v1/ping")
  })

  it("keeps a blueprint's middleware to its own routes", async () => {
    const app = new App({ logger: false })
    const admin = new Blueprint({ prefix: "/admin" })
    admin.use(async function deny(c) {
      return c.text("denied", 403)
    })
    admin.get("/", () => "admin")
    app.get("/", () => "home")
    app.register(admin)
    expect(await (await app.request("/")).text()).toBe("home")
    const res = await app.request("/admin/")
    expect(res.status).toBe(403)
    expect(await res.text()).toBe("denied")
  })

  it("refuses a prefix that does not start with / or ends with /", () => {
    for (const prefix of ["api", "/api/"]) {
      const err = catchError(() => new Blueprint({ prefix }))
      expect(err.code).toBe("TRUSS_ERR_INVALID_OPTION")
      expect(err.message).toBe(
        `Option prefix is invalid: "${prefix}" must start with / and not end with /, e.g. "/api".`,
      )
    }
  })

  it("names both locations when a blueprint is registered twice", () => {
    const bp = new Blueprint({ prefix: "/x", name: "x" })
    bp.get("/", () => "x")
    const app = new App()
    app.register(bp) // first-register
    const err = catchError(() => app.register(bp)) // second-register
    expect(err.code).toBe("TRUSS_ERR_BLUEPRINT_REGISTERED_TWICE")
    expect(err.message).toMatch(
      new RegExp(
        `^Blueprint "x" is registered twice: first at ${esc(FILE)}:${lineOf("first-register")}:\\d+, ` +
          `again at ${esc(FILE)}:${lineOf("second-register")}:\\d+\\. ` +
          "Register it once, or create a second Blueprint\\.$",
      ),
    )
  })

  it("refuses changes to a blueprint after it was registered", () => {
    const bp = new Blueprint({ name: "late" })
    new App().register(bp) // late-register
    const err = catchError(() => bp.get("/late", () => "late"))
    expect(err.code).toBe("TRUSS_ERR_BLUEPRINT_FROZEN")
    expect(err.message).toBe(
      `get() was called on blueprint "late" after it was registered at ${FILE}:${lineOf("late-register")}:${SOURCE[lineOf("late-register") - 1]!.indexOf("register") + 1}. Finish a blueprint's setup before registering it.`,
    )
  })

  it("names both locations when two routes collide, even with different param names", () => {
    const app = new App()
    app.get("/users/:id", () => "a") // first-route
    const err = catchError(() => app.get("/users/:name", () => "b")) // second-route
    expect(err.code).toBe("TRUSS_ERR_ROUTE_CONFLICT")
    expect(err.message).toMatch(
      new RegExp(
        `^Route GET /users/:name is declared twice: first at ${esc(FILE)}:${lineOf("first-route")}:\\d+, ` +
          `again at ${esc(FILE)}:${lineOf("second-route")}:\\d+\\. Remove one or change its path\\.$`,
      ),
    )
  })

  it("detects a collision with either form of an optional param", () => {
    const app = new App()
    app.get("/posts", () => "list") // posts-list
    const err = catchError(() => app.get("/posts/:page?", () => "page")) // posts-optional
    expect(err.code).toBe("TRUSS_ERR_ROUTE_CONFLICT")
    expect(err.message).toMatch(
      new RegExp(
        `^Route GET /posts/:page\\? is declared twice: first at ${esc(FILE)}:${lineOf("posts-list")}:\\d+, ` +
          `again at ${esc(FILE)}:${lineOf("posts-optional")}:\\d+\\. Remove one or change its path\\.$`,
      ),
    )
    const other = new App()
    other.get("/v/:id(\\d+)", () => "id")
    expect(catchError(() => other.get("/v/:n(\\d+)?", () => "n")).code).toBe(
      "TRUSS_ERR_ROUTE_CONFLICT",
    )
  })

  it("detects a collision between a blueprint route and an app route", () => {
    const app = new App()
    app.get("/api/items", () => "app")
    const api = new Blueprint({ prefix: "/api" })
    api.get("/items", () => "bp")
    const err = catchError(() => app.register(api))
    expect(err.code).toBe("TRUSS_ERR_ROUTE_CONFLICT")
    expect(err.message.startsWith("Route GET /api/items is declared twice: first at ")).toBe(true)
  })

  it("allows the same path with different constraints or methods", async () => {
    const app = new App()
    app.get("/n/:id(\\d+)", (c) => `number ${c.params.id}`)
    app.get("/n/:slug", (c) => `slug ${c.params.slug}`)
    app.post("/n/:slug", () => "posted")
    expect(await (await app.request("/n/12")).text()).toBe("number 12")
    expect(await (await app.request("/n/ab")).text()).toBe("slug ab")
    expect(await (await app.request("/n/ab", { method: "POST" })).text()).toBe("posted")
  })
})

describe("setup after start", () => {
  it("throws TRUSS_ERR_SETUP_AFTER_START from every setup method once a request was handled", async () => {
    const app = new App()
    app.get("/", () => "ok")
    expect(app.started).toBe(false)
    await app.request("/")
    expect(app.started).toBe(true)
    const calls: [string, () => unknown][] = [
      ["get", () => app.get("/late", () => "late")],
      [
        "use",
        () =>
          app.use(async function late(_c, next) {
            await next()
          }),
      ],
      ["register", () => app.register(new Blueprint())],
      ["onError", () => app.onError(() => undefined)],
      ["onRequest", () => app.onRequest(() => undefined)],
      ["notFound", () => app.notFound(() => "x")],
    ]
    for (const [method, call] of calls) {
      const err = catchError(call)
      expect(err.code).toBe("TRUSS_ERR_SETUP_AFTER_START")
      expect(err.message).toBe(
        `${method}() was called after the app handled its first request. Register routes, middleware, hooks and blueprints before app.listen() or the first request.`,
      )
    }
  })
})

describe("route registration", () => {
  it("chains several methods on one path with app.route()", async () => {
    const app = new App()
    app
      .route("/items/:id")
      .get((c) => ({ get: c.params.id }))
      .post((c) => ({ post: c.params.id }))
      .delete(
        async function guard(_c, next) {
          await next()
        },
        (c) => c.text("", 204),
      )
    expect(await (await app.request("/items/1")).json()).toEqual({ get: "1" })
    expect(await (await app.request("/items/2", { method: "POST" })).json()).toEqual({
      post: "2",
    })
    expect((await app.request("/items/3", { method: "DELETE" })).status).toBe(204)
    const put = await app.request("/items/3", { method: "PUT" })
    expect(put.status).toBe(405)
    expect(put.headers.get("allow")).toBe("DELETE, GET, HEAD, POST")
  })

  it("answers every method with app.all()", async () => {
    const app = new App()
    app.all("/any", (c) => c.text(c.req.method))
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const res = await app.request("/any", { method })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(method)
    }
    const head = await app.request("/any", { method: "HEAD" })
    expect(head.status).toBe(200)
    expect(head.headers.get("content-length")).toBe("4")
    expect(await head.text()).toBe("")
  })

  it("refuses a route without a handler function last", () => {
    const app = new App()
    const add = app.get as (...args: unknown[]) => unknown
    expect(() => add.call(app, "/x", { name: "x" })).toThrow(
      new TypeError('get("/x") needs a handler function last'),
    )
  })

  it("refuses a malformed route path with TRUSS_ERR_ROUTE_PATH_INVALID", () => {
    const app = new App()
    const cases: [string, string][] = [
      ["users", 'Route path "users" is invalid: it must start with /.'],
      ["/a/*/b", 'Route path "/a/*/b" is invalid: * must be last.'],
      ["/a/:x?/b", 'Route path "/a/:x?/b" is invalid: an optional :param? must be last.'],
      [
        "/a/:id(\\d+",
        'Route path "/a/:id(\\d+" is invalid: the constraint of :id has no closing ).',
      ],
      [
        "/a/:id([)",
        'Route path "/a/:id([)" is invalid: the constraint of :id is not a valid regular expression (Invalid regular expression: /^(?:[)$/: Unterminated character class).',
      ],
    ]
    for (const [path, message] of cases) {
      const err = catchError(() => app.get(path, () => "x"))
      expect(err.code).toBe("TRUSS_ERR_ROUTE_PATH_INVALID")
      expect(err.message).toBe(message)
    }
  })
})
