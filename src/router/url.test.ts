import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { App } from "../app.js"
import { Blueprint } from "../blueprint.js"
import { TrussError } from "../errors.js"

function catchError(fn: () => unknown): TrussError {
  try {
    fn()
  } catch (err) {
    if (err instanceof TrussError) return err
    throw err
  }
  throw new Error("expected a TrussError")
}

function namedApp() {
  const app = new App()
  const echo = (c: { params: object }) => ({ params: c.params })
  app.get("/", { name: "home" }, echo)
  app.get("/users/:id", { name: "user.show" }, echo)
  app.get("/users/:id(\\d+)/posts/:slug?", { name: "post.show" }, echo)
  app.get("/files/*", { name: "files" }, echo)
  app.get("/flights/:from-:to", { name: "flight" }, echo)
  app.get("/archive/:year(\\d{4})/:month(\\d{2})", { name: "archive" }, echo)
  app.get("/pages/:n(\\d+)?", { name: "pages" }, echo)
  app.get("/v/:major(\\d+).:minor(\\d+)?", { name: "version" }, echo)
  return app
}

describe("app.url()", () => {
  it("fills params with percent-encoding and appends the query", () => {
    const app = namedApp()
    expect(app.url("home")).toBe("/")
    expect(app.url("user.show", { id: 7 })).toBe("/users/7")
    expect(app.url("user.show", { id: "a b/c?d#e" })).toBe("/users/a%20b%2Fc%3Fd%23e")
    expect(app.url("post.show", { id: 3 })).toBe("/users/3/posts")
    expect(app.url("version", { major: 2 })).toBe("/v/2")
    expect(app.url("version", { major: 2, minor: 1 })).toBe("/v/2.1")
    expect(app.url("post.show", { id: 3, slug: "héllo" })).toBe("/users/3/posts/h%C3%A9llo")
    expect(app.url("files", { "*": "img/a b.png" })).toBe("/files/img/a%20b.png")
    expect(app.url("flight", { from: "LHR", to: "JFK" })).toBe("/flights/LHR-JFK")
    expect(
      app.url("user.show", { id: 1 }, { query: { q: "a b&c", tag: ["x", "y"], skip: undefined } }),
    ).toBe("/users/1?q=a+b%26c&tag=x&tag=y")
  })

  it("throws TRUSS_ERR_ROUTE_NAME_UNKNOWN listing the known names", () => {
    const err = catchError(() => namedApp().url("user.edit", { id: 1 }))
    expect(err.code).toBe("TRUSS_ERR_ROUTE_NAME_UNKNOWN")
    expect(err.message).toBe(
      'No route is named "user.edit". Give the route { name: "user.edit" } or use one of: archive, files, flight, home, pages, post.show, user.show, version.',
    )
  })

  it("says when no route has a name at all", () => {
    const err = catchError(() => new App().url("home"))
    expect(err.message).toBe(
      'No route is named "home". Give the route { name: "home" } or use one of: (no named routes).',
    )
  })

  it("throws TRUSS_ERR_URL_PARAM_MISSING for a missing or empty required param", () => {
    const app = namedApp()
    for (const params of [{}, { id: "" }, { id: undefined }]) {
      const err = catchError(() => app.url("user.show", params))
      expect(err.code).toBe("TRUSS_ERR_URL_PARAM_MISSING")
      expect(err.message).toBe(
        'Building the URL of "user.show" needs the param "id". Pass it in the params object.',
      )
    }
  })

  it("throws TRUSS_ERR_URL_PARAM_INVALID when a param fails its constraint", () => {
    const err = catchError(() => namedApp().url("post.show", { id: "abc" }))
    expect(err.code).toBe("TRUSS_ERR_URL_PARAM_INVALID")
    expect(err.message).toBe('Param "id" of route "post.show" must match /^(?:\\d+)$/, got "abc".')
  })

  it("throws TRUSS_ERR_URL_PARAM_DOT_SEGMENT for a whole-segment . or ..", () => {
    const app = namedApp()
    const user = catchError(() => app.url("user.show", { id: ".." }))
    expect(user.code).toBe("TRUSS_ERR_URL_PARAM_DOT_SEGMENT")
    expect(user.message).toBe(
      'Param "id" of route "user.show" is "..", which clients resolve as a relative path segment, so the URL would lead elsewhere. Path params cannot be "." or "..": pass another value or send it in the query.',
    )
    const files = catchError(() => app.url("files", { "*": "a/../admin" }))
    expect([files.code, files.message.slice(0, 38)]).toEqual([
      "TRUSS_ERR_URL_PARAM_DOT_SEGMENT",
      'Param "*" of route "files" is "a/../ad',
    ])
    expect(catchError(() => app.url("post.show", { id: 1, slug: "." })).code).toBe(
      "TRUSS_ERR_URL_PARAM_DOT_SEGMENT",
    )
    expect(app.url("flight", { from: "..", to: "." })).toBe("/flights/..-.")
    expect(app.url("files", { "*": "a/.../b" })).toBe("/files/a/.../b")
  })

  it("refuses two routes with one name, naming both locations", () => {
    const app = new App()
    app.get("/a", { name: "dup" }, () => "a")
    const err = catchError(() => app.get("/b", { name: "dup" }, () => "b"))
    expect(err.code).toBe("TRUSS_ERR_ROUTE_NAME_CONFLICT")
    expect(err.message).toMatch(
      /^Route name "dup" is used twice: first at \/.*\/src\/router\/url\.test\.ts:\d+:\d+, again at \/.*\/src\/router\/url\.test\.ts:\d+:\d+\. Route names must be unique\.$/,
    )
  })

  it("builds names through blueprints and c.url()", async () => {
    const api = new Blueprint({ prefix: "/api", name: "api" })
    api.get("/users/:id", { name: "users.show" }, (c) => ({
      self: c.url("api.users.show", c.params),
    }))
    const app = new App().register(api)
    expect(app.url("api.users.show", { id: 5 })).toBe("/api/users/5")
    expect(await (await app.request("/api/users/9")).json()).toEqual({ self: "/api/users/9" })
  })

  // "." and ".." are refused by app.url (see above): clients resolve them as dot segments.
  const segment = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    .filter((s) => s !== "." && s !== "..")
  const plain = fc.stringMatching(/^[A-Za-z0-9_~]{1,8}$/)
  const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))

  it("round-trips: a URL built for any named route matches back to the same params (property)", async () => {
    const app = namedApp()
    const cases = fc.oneof(
      fc.record({ name: fc.constant("home"), params: fc.constant({}) }),
      fc.record({ name: fc.constant("user.show"), params: fc.record({ id: segment }) }),
      fc.record({
        name: fc.constant("post.show"),
        params: fc.record(
          { id: fc.stringMatching(/^\d{1,6}$/), slug: segment },
          {
            requiredKeys: ["id"],
          },
        ),
      }),
      fc.record({
        name: fc.constant("files"),
        params: fc.record({
          // A wildcard keeps "/" as is, so no piece between slashes may be "." or "..".
          "*": fc
            .array(segment, { maxLength: 4 })
            .map((parts) => parts.join("/"))
            .filter((v) => v.split("/").every((p) => p !== "." && p !== "..")),
        }),
      }),
      fc.record({ name: fc.constant("flight"), params: fc.record({ from: plain, to: plain }) }),
      fc.record({
        name: fc.constant("pages"),
        params: fc.record({ n: fc.stringMatching(/^\d{1,4}$/) }, { requiredKeys: [] }),
      }),
      fc.record({
        name: fc.constant("version"),
        params: fc.record(
          { major: fc.stringMatching(/^\d{1,3}$/), minor: fc.stringMatching(/^\d{1,3}$/) },
          { requiredKeys: ["major"] },
        ),
      }),
      fc.record({
        name: fc.constant("archive"),
        params: fc.record({ year: digits(4), month: digits(2) }),
      }),
    )
    await fc.assert(
      fc.asyncProperty(cases, async ({ name, params }) => {
        const url = app.url(name, params)
        const res = await app.request(url)
        expect(res.status).toBe(200)
        expect(await res.json()).toEqual({ params })
      }),
      { numRuns: 400 },
    )
  })
})
