import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fixtureApp } from "../../test/support/schema-app.js"
import { buildPath, createClient } from "./index.js"

describe("buildPath", () => {
  it("fills and percent-encodes params, the wildcard and optional params", () => {
    expect(buildPath("/users/:id(\\d+)/files/*", { id: 7, "*": "a/b.txt" })).toBe(
      "/users/7/files/a/b.txt",
    )
    expect(buildPath("/archive/:year/:month?", { year: 2024 })).toBe("/archive/2024")
    expect(buildPath("/archive/:year/:month?", { year: 2024, month: 5 })).toBe("/archive/2024/5")
    expect(buildPath("/tags/:name", { name: "a b/c" })).toBe("/tags/a%20b%2Fc")
  })

  it("throws a TypeError naming a missing param", () => {
    expect(() => buildPath("/users/:id", {})).toThrow('Missing path param "id" for /users/:id')
  })
})

const app = fixtureApp()
type Api = ReturnType<typeof fixtureApp>

describe("createClient(app): in-process", () => {
  const client = createClient<Api>(app, { headers: { "x-tenant": "acme" } })

  it("sends params, query and body, and parses JSON responses", async () => {
    const created = await client.post("/api/v1/notes", {
      body: { text: "Call Bob", tags: ["work"] },
    })
    expect([created.status, created.ok]).toEqual([201, true])
    if (created.status !== 201) throw new Error("expected 201")
    expect(created.data).toEqual({ id: 2, text: "Call Bob", tags: [{ name: "work" }] })
    const shown = await client.get("/api/v1/notes/:id", { params: { id: created.data.id } })
    expect(shown.status === 200 && shown.data.text).toBe("Call Bob")
    const list = await client.get("/api/v1/notes", { query: { page: 1, size: 1 } })
    expect(list.data).toEqual([{ id: 1, text: "Buy milk", tags: [] }])
  })

  it("returns declared error responses and the 422 problem as data", async () => {
    const missing = await client.get("/api/v1/notes/:id", { params: { id: 999 } })
    expect(missing.status).toBe(404)
    const invalid = await client.post("/api/v1/notes", { body: { text: "" } })
    expect(invalid.status).toBe(422)
    if (invalid.status === 422) {
      expect(invalid.data.errors).toEqual([
        {
          in: "body",
          path: "text",
          message: "Too small: expected string to have >=1 characters",
          code: "too_small",
        },
      ])
    }
  })

  it("sends the common headers on every call", async () => {
    const stats = await client.get("/api/v1/admin/stats")
    expect([stats.status, stats.data]).toEqual([200, { users: 0 }])
  })

  it("parses text bodies and fills the wildcard", async () => {
    const res = await client.get("/files/*", { params: { "*": "a/b.txt" } })
    expect([res.status, res.data]).toEqual([200, "a/b.txt"])
  })
})

describe("createClient(url): over a real socket", () => {
  let url = ""
  beforeAll(async () => {
    const server = await app.listen({ port: 0, host: "127.0.0.1" })
    url = server.url
  })
  afterAll(() => app.close())

  it("calls the server with fetch", async () => {
    const client = createClient<Api>(url)
    const res = await client.post("/login", { body: { email: "a@example.com", password: "pw" } })
    expect([res.status, res.data]).toEqual([200, { token: "t" }])
    const denied = await client.post("/login", { body: { email: "a@example.com", password: "x" } })
    expect([denied.status, denied.ok]).toEqual([401, false])
  })

  it("uses the fetch it is given", async () => {
    const seen: string[] = []
    const client = createClient<Api>(url, {
      fetch: (req) => {
        seen.push(`${req.method} ${new URL(req.url).pathname}`)
        return fetch(req)
      },
    })
    await client.get("/health")
    expect(seen).toEqual(["GET /health"])
  })
})
