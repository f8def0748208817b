import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type TrussServer } from "../../src/index.js"

type Line = Record<string, unknown>

/** An app echoing request input into headers in every way a handler might. */
function echoApp(lines: Line[]): App {
  const destination = {
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line) lines.push(JSON.parse(line) as Line)
    },
  }
  const app = new App({ logger: { destination } })
  app.get("/header/:v", (c) => {
    c.header("x-echo", c.params.v)
    return "echoed"
  })
  app.get("/async-header/:v", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    c.header("x-echo", c.params.v)
    return "echoed"
  })
  app.get("/raw-header/:v", (c) => {
    c.headers["x-echo"] = c.params.v // bypasses c.header()'s check
    return "echoed"
  })
  app.get("/async-raw-header/:v", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    c.headers["x-echo"] = c.params.v
    return "echoed"
  })
  app.get("/redirect", (c) => c.redirect(c.req.query.get("next") ?? "/"))
  app.get("/cookie/:name", (c) => {
    c.cookie(c.params.name, "v")
    return "set"
  })
  app.get("/ok", () => ({ ok: true }))
  return app
}

const NOT_SENDABLE = [
  ["%E2%82%AC", "€ (above U+00FF)"],
  ["a%0d%0aset-cookie:%20x=1", "CRLF"],
  ["%00", "NUL"],
] as const

describe("request input in response headers, over a real socket", () => {
  const lines: Line[] = []
  let server: TrussServer
  beforeAll(async () => {
    server = await echoApp(lines).listen({ port: 0, signals: false })
  })
  afterAll(() => server.close())

  for (const [value, what] of NOT_SENDABLE) {
    for (const route of ["header", "async-header"]) {
      it(`answers 500 TRUSS_ERR_INTERNAL for ${what} through c.header() (/${route}) and logs the coded error`, async () => {
        const res = await fetch(`${server.url}/${route}/${value}`)
        expect(res.status).toBe(500)
        expect(res.headers.get("x-echo")).toBeNull()
        expect((await res.json()).code).toBe("TRUSS_ERR_INTERNAL")
        const logged = lines.find(
          (l) => (l.err as { code?: string })?.code === "TRUSS_ERR_HEADER_INVALID",
        )
        expect(logged?.level).toBe(50)
        expect((await fetch(`${server.url}/ok`)).status).toBe(200)
      })
    }
    for (const route of ["raw-header", "async-raw-header"]) {
      it(`answers 500 for ${what} set directly on c.headers (/${route}), and the server goes on`, async () => {
        const res = await fetch(`${server.url}/${route}/${value}`)
        expect(res.status).toBe(500)
        expect(res.headers.get("x-echo")).toBeNull()
        expect(await res.json()).toMatchObject({ status: 500, code: "TRUSS_ERR_INTERNAL" })
        const logged = lines.find(
          (l) => (l.err as { code?: string })?.code === "TRUSS_ERR_RESPONSE_UNSENDABLE",
        )
        expect(logged?.level).toBe(50)
        expect(await (await fetch(`${server.url}/ok`)).json()).toEqual({ ok: true })
      })
    }
  }

  it("refuses a redirect to a target with CRLF, and percent-encodes one with non-ASCII", async () => {
    const split = await fetch(`${server.url}/redirect?next=/x%0d%0aset-cookie:%20a=1`, {
      redirect: "manual",
    })
    expect(split.status).toBe(500)
    expect(split.headers.get("set-cookie")).toBeNull()
    const cafe = await fetch(`${server.url}/redirect?next=/caf%C3%A9?q=%E2%82%AC`, {
      redirect: "manual",
    })
    expect(cafe.status).toBe(302)
    expect(cafe.headers.get("location")).toBe("/caf%C3%A9?q=%E2%82%AC")
  })

  it("refuses a cookie whose name is not a token", async () => {
    const res = await fetch(`${server.url}/cookie/a%3Bb`)
    expect(res.status).toBe(500)
    expect(res.headers.get("set-cookie")).toBeNull()
    const logged = lines.find(
      (l) => (l.err as { code?: string })?.code === "TRUSS_ERR_COOKIE_INVALID",
    )
    expect((logged?.err as { message?: string } | undefined)?.message).toBe(
      'Cookie "a;b" cannot be set: cookie name is invalid: a;b. A cookie name is an HTTP token; domain and path hold no ";", spaces or control characters.: cookie name is invalid: a;b', // pino appends the cause
    )
  })
})

describe("request input in response headers, through app.fetch()", () => {
  it("answers 500 instead of rejecting when Headers refuses a value", async () => {
    const app = echoApp([])
    for (const path of ["/raw-header/%E2%82%AC", "/header/%0d%0a", "/async-raw-header/a%0ab"]) {
      const res = await app.request(path)
      expect(res.status).toBe(500)
      expect((await res.json()).code).toBe("TRUSS_ERR_INTERNAL")
    }
  })
})

describe("c.header() checks at the call", () => {
  it("throws TRUSS_ERR_HEADER_INVALID naming the header and the character", async () => {
    const app = new App({ logger: false, debug: true })
    app.get("/", (c) => {
      c.header("x-price", "5 €")
      return "never"
    })
    app.get("/name", (c) => {
      c.header("bad name", "v")
      return "never"
    })
    const res = await app.request("/", { headers: { accept: "application/json" } })
    expect(await res.json()).toMatchObject({
      code: "TRUSS_ERR_HEADER_INVALID",
      detail:
        'Response header "x-price" holds U+20AC at index 2. A header name is an HTTP token, and a value holds no CR, LF, NUL or character above U+00FF: encode request input (encodeURIComponent) before putting it in a header.',
    })
    const named = await app.request("/name", { headers: { accept: "application/json" } })
    expect((await named.json()).detail).toMatch(
      /^Response header "bad name" is not a valid header name\./,
    )
  })
})
