import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type SseMessage } from "../../src/index.js"
import type { TrussServer } from "../../src/server/listen.js"

/** The headers whose values must agree across transports (when present). */
const RELEVANT = [
  "allow",
  "cache-control",
  "content-length",
  "content-type",
  "location",
  "set-cookie",
  "x-accel-buffering",
  "x-made",
]

const PROBLEM = "application/problem+json"
const JSON_TYPE = "application/json"
const TEXT = "text/plain; charset=utf-8"

function makeApp() {
  const app = new App({ logger: false, trustProxy: "loopback" })
  app.get("/json", () => ({ message: "Hello, World!" }))
  app.post("/echo", async (c) => c.json({ got: await c.req.json() }, 201))
  app.get("/old", (c) => c.redirect("/new?x=1", 301))
  app.get("/login", (c) => {
    c.cookie("sid", "abc 123")
    c.cookie("pref", "dark", { maxAge: 60, sameSite: "strict", path: "/app" })
    return "ok"
  })
  app.get("/stream", (c) =>
    c.stream(
      (async function* chunks() {
        yield "one,"
        yield new TextEncoder().encode("two,")
        yield "three"
      })(),
      { contentType: "text/csv" },
    ),
  )
  app.get("/events", (c) =>
    c.sse(
      (async function* events(): AsyncGenerator<SseMessage | string> {
        yield { event: "tick", id: "1", data: { n: 1 } }
        yield "plain\nsecond line"
        yield { data: "bye", retry: 1500 }
      })(),
    ),
  )
  app.get("/string", () => "just text")
  app.get("/bytes", () => new Uint8Array([0, 1, 2, 255]))
  app.get("/array", () => [1, "two", null])
  app.get("/bare", () => Object.assign(Object.create(null) as object, { bare: true }))
  app.get("/instance", () => new Point(1, 2))
  app.get("/number", () => 42)
  app.get(
    "/web-stream",
    () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("from a web stream"))
          controller.close()
        },
      }),
  )
  app.get(
    "/response",
    () => new Response("made", { status: 202, headers: { "x-made": "yes", "content-type": TEXT } }),
  )
  return app
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

interface Case {
  name: string
  path: string
  init?: RequestInit
  status: number
  headers: Record<string, string>
  body: string | number[]
}

const CASES: Case[] = [
  {
    name: "GET JSON",
    path: "/json",
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "27" },
    body: '{"message":"Hello, World!"}',
  },
  {
    name: "POST JSON",
    path: "/echo",
    init: { method: "POST", body: '{"a":1}', headers: { "content-type": JSON_TYPE } },
    status: 201,
    headers: { "content-type": JSON_TYPE, "content-length": "15" },
    body: '{"got":{"a":1}}',
  },
  {
    name: "404",
    path: "/nope",
    status: 404,
    headers: { "content-type": PROBLEM, "content-length": "123" },
    body: '{"type":"about:blank","title":"Not Found","status":404,"code":"TRUSS_ERR_NOT_FOUND","detail":"No route matches GET /nope."}',
  },
  {
    name: "405",
    path: "/json",
    init: { method: "PUT", body: "x" },
    status: 405,
    headers: { allow: "GET, HEAD", "content-type": PROBLEM, "content-length": "168" },
    body: '{"type":"about:blank","title":"Method Not Allowed","status":405,"code":"TRUSS_ERR_METHOD_NOT_ALLOWED","detail":"Method PUT is not allowed here; use one of: GET, HEAD."}',
  },
  {
    name: "HEAD",
    path: "/json",
    init: { method: "HEAD" },
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "27" },
    body: "",
  },
  {
    name: "OPTIONS",
    path: "/json",
    init: { method: "OPTIONS" },
    status: 204,
    headers: { allow: "GET, HEAD" },
    body: "",
  },
  {
    name: "redirect",
    path: "/old",
    status: 301,
    headers: { location: "/new?x=1", "content-length": "0" },
    body: "",
  },
  {
    name: "cookies over plain http",
    path: "/login",
    status: 200,
    headers: {
      "content-type": TEXT,
      "content-length": "2",
      "set-cookie":
        "sid=abc%20123; Path=/; HttpOnly; SameSite=Lax, pref=dark; Max-Age=60; Path=/app; HttpOnly; SameSite=Strict",
    },
    body: "ok",
  },
  {
    name: "cookies behind a trusted https proxy",
    path: "/login",
    init: { headers: { "x-forwarded-proto": "https" } },
    status: 200,
    headers: {
      "content-type": TEXT,
      "content-length": "2",
      "set-cookie":
        "sid=abc%20123; Path=/; HttpOnly; Secure; SameSite=Lax, pref=dark; Max-Age=60; Path=/app; HttpOnly; Secure; SameSite=Strict",
    },
    body: "ok",
  },
  {
    name: "stream",
    path: "/stream",
    status: 200,
    headers: { "content-type": "text/csv" },
    body: "one,two,three",
  },
  {
    name: "SSE",
    path: "/events",
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
    body: 'event: tick\nid: 1\ndata: {"n":1}\n\ndata: plain\ndata: second line\n\nretry: 1500\ndata: bye\n\n',
  },
  {
    name: "string return",
    path: "/string",
    status: 200,
    headers: { "content-type": TEXT, "content-length": "9" },
    body: "just text",
  },
  {
    name: "Uint8Array return",
    path: "/bytes",
    status: 200,
    headers: { "content-type": "application/octet-stream", "content-length": "4" },
    body: [0, 1, 2, 255],
  },
  {
    name: "array return",
    path: "/array",
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "14" },
    body: '[1,"two",null]',
  },
  {
    name: "null-prototype object return",
    path: "/bare",
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "13" },
    body: '{"bare":true}',
  },
  {
    name: "class instance return",
    path: "/instance",
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "13" },
    body: '{"x":1,"y":2}',
  },
  {
    name: "number return",
    path: "/number",
    status: 200,
    headers: { "content-type": JSON_TYPE, "content-length": "2" },
    body: "42",
  },
  {
    name: "ReadableStream return",
    path: "/web-stream",
    status: 200,
    headers: { "content-type": "application/octet-stream" },
    body: "from a web stream",
  },
  {
    name: "Response return",
    path: "/response",
    status: 202,
    headers: { "content-type": TEXT, "x-made": "yes" },
    body: "made",
  },
]

type Transport = (path: string, init: RequestInit) => Promise<Response>

async function observe(res: Response, binary: boolean) {
  const headers: Record<string, string> = {}
  for (const name of RELEVANT) {
    const value = res.headers.get(name)
    if (value !== null) headers[name] = value
  }
  const body = binary ? [...new Uint8Array(await res.arrayBuffer())] : await res.text()
  return { status: res.status, headers, body }
}

describe("the same behaviour through app.request, app.fetch and a real socket", () => {
  const app = makeApp()
  let server: TrussServer
  beforeAll(async () => {
    server = await app.listen({ port: 0, signals: false })
  })
  afterAll(() => app.close())

  const transports: [string, Transport][] = [
    ["app.request", (path, init) => app.request(path, init)],
    [
      "app.fetch",
      (path, init) =>
        app.fetch(new Request(`http://localhost${path}`, init), { remoteAddress: "127.0.0.1" }),
    ],
    ["socket", (path, init) => fetch(`${server.url}${path}`, init)],
  ]

  for (const c of CASES) {
    it(`${c.name}: ${c.init?.method ?? "GET"} ${c.path}`, async () => {
      const seen = []
      for (const [name, send] of transports) {
        const res = await send(c.path, { redirect: "manual", ...c.init })
        seen.push({ transport: name, ...(await observe(res, Array.isArray(c.body))) })
      }
      const expected = { status: c.status, headers: c.headers, body: c.body }
      expect(seen).toEqual(transports.map(([transport]) => ({ transport, ...expected })))
    })
  }

  it("marks cookies Secure for a request that arrived over https through app.fetch", async () => {
    const res = await app.fetch(new Request("https://example.com/login"))
    expect(res.headers.getSetCookie()).toEqual([
      "sid=abc%20123; Path=/; HttpOnly; Secure; SameSite=Lax",
      "pref=dark; Max-Age=60; Path=/app; HttpOnly; Secure; SameSite=Strict",
    ])
  })

  it("ignores X-Forwarded-Proto from an untrusted peer", async () => {
    const res = await app.fetch(
      new Request("http://localhost/login", { headers: { "x-forwarded-proto": "https" } }),
      { remoteAddress: "203.0.113.7" },
    )
    expect(res.headers.getSetCookie()).toEqual([
      "sid=abc%20123; Path=/; HttpOnly; SameSite=Lax",
      "pref=dark; Max-Age=60; Path=/app; HttpOnly; SameSite=Strict",
    ])
  })
})
