import { describe, expectTypeOf, it } from "vitest"
import { App } from "./app.js"
import { Blueprint } from "./blueprint.js"
import type { Context } from "./context.js"
import type { PathParams } from "./router/path-params.js"

describe("PathParams", () => {
  it("types params from the path string", () => {
    expectTypeOf<PathParams<"/">>().toEqualTypeOf<{}>()
    expectTypeOf<PathParams<"/users/:id">>().toEqualTypeOf<{ id: string }>()
    expectTypeOf<PathParams<"/users/:id/posts/:slug">>().toEqualTypeOf<{
      id: string
      slug: string
    }>()
    expectTypeOf<PathParams<"/posts/:page?">>().toEqualTypeOf<{ page?: string | undefined }>()
    expectTypeOf<PathParams<"/users/:id(\\d+)">>().toEqualTypeOf<{ id: string }>()
    expectTypeOf<PathParams<"/users/:id(\\d+)?">>().toEqualTypeOf<{ id?: string | undefined }>()
    expectTypeOf<PathParams<"/files/*">>().toEqualTypeOf<{ "*": string }>()
    expectTypeOf<PathParams<"/u/:user/files/*">>().toEqualTypeOf<{ user: string; "*": string }>()
    expectTypeOf<PathParams<"/flights/:from-:to">>().toEqualTypeOf<{ from: string; to: string }>()
    expectTypeOf<PathParams<"/img/:name.:ext">>().toEqualTypeOf<{ name: string; ext: string }>()
    expectTypeOf<PathParams<"/lang/:code((?:en|fr)-[a-z]{2})">>().toEqualTypeOf<{
      code: string
    }>()
    expectTypeOf<PathParams<"/v/:major(\\d+).:minor(\\d+)?">>().toEqualTypeOf<{
      major: string
      minor?: string | undefined
    }>()
  })

  it("falls back to a string record for a non-literal path", () => {
    expectTypeOf<PathParams<string>>().toEqualTypeOf<Record<string, string | undefined>>()
  })
})

describe("route handlers", () => {
  it("types c.params in handlers and rejects unknown names", () => {
    const app = new App()
    app.get("/users/:id", (c) => {
      expectTypeOf(c.params).toEqualTypeOf<{ id: string }>()
      expectTypeOf(c.params.id).toEqualTypeOf<string>()
      // @ts-expect-error: no param named "name" in "/users/:id"
      c.params.name
      return "ok"
    })
    app.get("/posts/:page?", (c) => {
      expectTypeOf(c.params.page).toEqualTypeOf<string | undefined>()
      return "ok"
    })
    app.get("/files/*", (c) => {
      expectTypeOf(c.params["*"]).toEqualTypeOf<string>()
      return "ok"
    })
    app.get("/flights/:from-:to", (c) => {
      expectTypeOf(c.params).toEqualTypeOf<{ from: string; to: string }>()
      return "ok"
    })
  })

  it("types params after middleware and after an options object", () => {
    const app = new App()
    app.get(
      "/a/:id",
      async function first(c, next) {
        expectTypeOf(c).toEqualTypeOf<Context>()
        await next()
      },
      async function second(_c, next) {
        expectTypeOf(next).toEqualTypeOf<() => Promise<void>>()
        await next()
      },
      (c) => {
        expectTypeOf(c.params).toEqualTypeOf<{ id: string }>()
        return c.params.id
      },
    )
    app.post("/b/:slug", { name: "b", bodyLimit: 10 }, (c) => {
      expectTypeOf(c.params).toEqualTypeOf<{ slug: string }>()
      // @ts-expect-error: no param named "id" in "/b/:slug"
      c.params.id
      return "ok"
    })
    app.put(
      "/c/:x",
      { name: "c" },
      async function guard(_c, next) {
        await next()
      },
      (c) => {
        expectTypeOf(c.params.x).toEqualTypeOf<string>()
        return "ok"
      },
    )
  })

  it("types app.route() chains from their path", () => {
    new App()
      .route("/items/:id")
      .get((c) => {
        expectTypeOf(c.params).toEqualTypeOf<{ id: string }>()
        return "ok"
      })
      .post({ name: "items.create" }, (c) => {
        expectTypeOf(c.params.id).toEqualTypeOf<string>()
        return "ok"
      })
  })
})

describe("per-request state", () => {
  type Vars = { user: { name: string }; requestStart: number }

  it("types c.get and c.set from the app's Variables", () => {
    const app = new App<Vars>()
    app.use(async function auth(c, next) {
      c.set("user", { name: "ada" })
      // @ts-expect-error: "nope" is not a declared variable
      c.set("nope", 1)
      // @ts-expect-error: user.name must be a string
      c.set("user", { name: 1 })
      await next()
    })
    app.get("/me/:tab", (c) => {
      expectTypeOf(c.get("user")).toEqualTypeOf<{ name: string }>()
      expectTypeOf(c.get("requestStart")).toEqualTypeOf<number>()
      // @ts-expect-error: "nope" is not a declared variable
      c.get("nope")
      expectTypeOf(c.params).toEqualTypeOf<{ tab: string }>()
      return c.get("user").name
    })
    app.onRequest((c) => {
      expectTypeOf(c.get("user")).toEqualTypeOf<{ name: string }>()
    })
    app.onError((err, c) => {
      expectTypeOf(err.code).toEqualTypeOf<string>()
      expectTypeOf(c.get("user")).toEqualTypeOf<{ name: string }>()
      return undefined
    })
  })

  it("types blueprints the same way", () => {
    const bp = new Blueprint<Vars>({ prefix: "/api" })
    bp.use(async function stamp(c, next) {
      c.set("requestStart", 1)
      // @ts-expect-error: requestStart is a number
      c.set("requestStart", "1")
      await next()
    })
    bp.get("/users/:id", { name: "show" }, (c) => {
      expectTypeOf(c.params).toEqualTypeOf<{ id: string }>()
      expectTypeOf(c.get("user")).toEqualTypeOf<{ name: string }>()
      // @ts-expect-error: no param named "slug"
      c.params.slug
      return "ok"
    })
    new App<Vars>().register(bp)
  })

  it("leaves the default Variables open", () => {
    const app = new App()
    app.get("/", (c) => {
      c.set("anything", 1)
      expectTypeOf(c.get("anything")).toEqualTypeOf<unknown>()
      return "ok"
    })
  })
})
