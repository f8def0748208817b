import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { FindMyWayRouter } from "./find-my-way-router.js"
import type { Router } from "./router.js"

/**
 * The router conformance suite: every `Router` implementation must pass it.
 * Add a row to ROUTERS to run another implementation through the same checks.
 */
const ROUTERS: [string, () => Router<string>][] = [
  ["find-my-way", () => new FindMyWayRouter<string>()],
]

function routerWith(make: () => Router<string>, routes: [string, string][]): Router<string> {
  const router = make()
  for (const [method, path] of routes) router.add(method, path, `${method} ${path}`)
  return router
}

describe.each(ROUTERS)("%s router: conformance", (_name, make) => {
  it("finds exact static paths as the tree does: decoded, case- and slash-exact, static first", () => {
    const r = routerWith(make, [
      ["GET", "/users"],
      ["GET", "/files/*"],
      ["GET", "/files/readme"],
      ["GET", "/a;b"],
      ["GET", "/time/12:30"],
    ])
    expect(r.match("GET", "/users")).toEqual({ value: "GET /users", params: {} })
    expect(r.match("GET", "/user%73")).toEqual({ value: "GET /users", params: {} })
    expect(r.match("GET", "/files/readme")).toEqual({ value: "GET /files/readme", params: {} })
    expect(r.match("GET", "/files/other")).toEqual({
      value: "GET /files/*",
      params: { "*": "other" },
    })
    expect(r.match("GET", "/a;b")).toEqual({ value: "GET /a;b", params: {} })
    expect(r.match("GET", "/time/12:30")).toEqual({ value: "GET /time/12:30", params: {} })
    expect(r.match("GET", "/users/")).toBe(null)
    expect(r.match("GET", "/Users")).toBe(null)
    expect(r.match("POST", "/users")).toBe(null)
    expect(r.match("HEAD", "/users")).toBe(null)
  })

  it("gives every match its own params object", () => {
    const r = routerWith(make, [["GET", "/static"]])
    const first = r.match("GET", "/static")!
    ;(first.params as Record<string, string>).added = "x"
    expect(r.match("GET", "/static")!.params).toEqual({})
  })

  it("prefers a static segment over a param", () => {
    const r = routerWith(make, [
      ["GET", "/users/:id"],
      ["GET", "/users/me"],
    ])
    expect(r.match("GET", "/users/me")).toEqual({ value: "GET /users/me", params: {} })
    expect(r.match("GET", "/users/7")).toEqual({ value: "GET /users/:id", params: { id: "7" } })
  })

  it("prefers a constrained param over a plain one when the constraint matches", () => {
    const r = routerWith(make, [
      ["GET", "/users/:name"],
      ["GET", "/users/:id(\\d+)"],
    ])
    expect(r.match("GET", "/users/42")).toEqual({
      value: "GET /users/:id(\\d+)",
      params: { id: "42" },
    })
    expect(r.match("GET", "/users/ada")).toEqual({
      value: "GET /users/:name",
      params: { name: "ada" },
    })
  })

  it("anchors a constraint to the whole param", () => {
    const r = routerWith(make, [["GET", "/items/:id(\\d+)"]])
    expect(r.match("GET", "/items/12")).toEqual({
      value: "GET /items/:id(\\d+)",
      params: { id: "12" },
    })
    expect(r.match("GET", "/items/12a")).toBe(null)
    expect(r.match("GET", "/items/a12")).toBe(null)
  })

  it("prefers a param over a wildcard for one segment, the wildcard for more", () => {
    const r = routerWith(make, [
      ["GET", "/files/*"],
      ["GET", "/files/:name"],
      ["GET", "/files/readme"],
    ])
    expect(r.match("GET", "/files/readme")).toEqual({ value: "GET /files/readme", params: {} })
    expect(r.match("GET", "/files/a.txt")).toEqual({
      value: "GET /files/:name",
      params: { name: "a.txt" },
    })
    expect(r.match("GET", "/files/a/b/c.txt")).toEqual({
      value: "GET /files/*",
      params: { "*": "a/b/c.txt" },
    })
  })

  it("gives the wildcard an empty string for the bare prefix", () => {
    const r = routerWith(make, [["GET", "/static/*"]])
    expect(r.match("GET", "/static/")).toEqual({ value: "GET /static/*", params: { "*": "" } })
  })

  it("matches an optional param with and without a value", () => {
    const r = routerWith(make, [["GET", "/posts/:page?"]])
    expect(r.match("GET", "/posts")).toEqual({ value: "GET /posts/:page?", params: {} })
    expect(r.match("GET", "/posts/3")).toEqual({
      value: "GET /posts/:page?",
      params: { page: "3" },
    })
  })

  it("matches an optional constrained param with and without a value", () => {
    const r = routerWith(make, [["GET", "/items/:id(\\d+)?"]])
    expect(r.match("GET", "/items")).toEqual({ value: "GET /items/:id(\\d+)?", params: {} })
    expect(r.match("GET", "/items/5")).toEqual({
      value: "GET /items/:id(\\d+)?",
      params: { id: "5" },
    })
    expect(r.match("GET", "/items/x")).toBe(null)
  })

  it("matches an optional param at the root", () => {
    const r = routerWith(make, [["GET", "/:lang?"]])
    expect(r.match("GET", "/")).toEqual({ value: "GET /:lang?", params: {} })
    expect(r.match("GET", "/fr")).toEqual({ value: "GET /:lang?", params: { lang: "fr" } })
  })

  it("drops the separator with an omitted optional param inside a segment", () => {
    const r = routerWith(make, [["GET", "/v/:major(\\d+).:minor(\\d+)?"]])
    expect(r.match("GET", "/v/1")?.params).toEqual({ major: "1" })
    expect(r.match("GET", "/v/1.2")?.params).toEqual({ major: "1", minor: "2" })
    expect(r.match("GET", "/v/1.")).toBe(null)
  })

  it("accepts nested groups inside a constraint", () => {
    const r = routerWith(make, [["GET", "/lang/:code((?:en|fr)-[a-z]{2})"]])
    expect(r.match("GET", "/lang/en-gb")?.params).toEqual({ code: "en-gb" })
    expect(r.match("GET", "/lang/de-de")).toBe(null)
  })

  it("refuses a constraint that could backtrack catastrophically", () => {
    const r = make()
    expect(() => r.add("GET", "/u/:id(\\d+(?:-\\d+)*)", "x")).toThrow(
      'Route path "/u/:id(\\d+(?:-\\d+)*)" is invalid: a constraint could backtrack catastrophically (ReDoS); avoid nested repetition such as (\\d+)+.',
    )
  })

  it("never matches a required param with an empty value", () => {
    const r = routerWith(make, [["GET", "/users/:id"]])
    expect(r.match("GET", "/users/")).toBe(null)
    expect(r.allowed("/users/")).toEqual([])
  })

  it("splits several params in one segment at their separators", () => {
    const r = routerWith(make, [["GET", "/flights/:from-:to"]])
    expect(r.match("GET", "/flights/LHR-JFK")).toEqual({
      value: "GET /flights/:from-:to",
      params: { from: "LHR", to: "JFK" },
    })
  })

  it("percent-decodes params, including encoded slashes and UTF-8", () => {
    const r = routerWith(make, [
      ["GET", "/tags/:tag"],
      ["GET", "/raw/*"],
    ])
    expect(r.match("GET", "/tags/a%20b")?.params).toEqual({ tag: "a b" })
    expect(r.match("GET", "/tags/a%2Fb")?.params).toEqual({ tag: "a/b" })
    expect(r.match("GET", "/tags/%E2%9C%93")?.params).toEqual({ tag: "✓" })
    expect(r.match("GET", "/raw/x%20y/z")?.params).toEqual({ "*": "x y/z" })
  })

  it("matches static paths case-sensitively", () => {
    const r = routerWith(make, [["GET", "/About"]])
    expect(r.match("GET", "/About")).toEqual({ value: "GET /About", params: {} })
    expect(r.match("GET", "/about")).toBe(null)
  })

  it("keeps methods apart and lists the allowed ones sorted", () => {
    const r = routerWith(make, [
      ["POST", "/users/:id"],
      ["GET", "/users/:id"],
      ["DELETE", "/users/:id"],
      ["GET", "/health"],
    ])
    expect(r.match("PUT", "/users/1")).toBe(null)
    expect(r.match("DELETE", "/users/1")).toEqual({
      value: "DELETE /users/:id",
      params: { id: "1" },
    })
    expect(r.allowed("/users/1")).toEqual(["DELETE", "GET", "POST"])
    expect(r.allowed("/health")).toEqual(["GET"])
    expect(r.allowed("/missing")).toEqual([])
  })

  it("returns null for malformed percent-encoding instead of throwing", () => {
    const r = routerWith(make, [["GET", "/tags/:tag"]])
    expect(r.match("GET", "/tags/%zz")).toBe(null)
  })

  it("never throws on arbitrary path strings (property)", () => {
    const r = routerWith(make, [
      ["GET", "/"],
      ["GET", "/users/:id(\\d+)"],
      ["GET", "/users/:name"],
      ["GET", "/posts/:slug?"],
      ["GET", "/flights/:from-:to"],
      ["GET", "/files/*"],
      ["POST", "/files/*"],
    ])
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (tail) => {
        const path = `/${tail}`
        const match = r.match("GET", path)
        expect(match === null || typeof match.value === "string").toBe(true)
        expect(Array.isArray(r.allowed(path))).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })
})
