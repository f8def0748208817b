import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import type { TrussServer } from "../../src/server/listen.js"

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** An app whose endless SSE route records when its source is closed. */
function makeApp(events: string[]) {
  const app = new App({ logger: false })
  app.get("/ticks", (c) =>
    c.sse(
      (async function* ticks() {
        try {
          for (let n = 1; n <= 1000; n++) {
            yield { event: "tick", data: { n } }
            await sleep(10)
          }
        } finally {
          events.push("source closed")
        }
      })(),
    ),
  )
  app.get("/broken", (c) =>
    c.stream(
      (async function* broken() {
        yield "first chunk;"
        await sleep(5)
        throw new Error("source failed")
      })(),
    ),
  )
  app.get("/csv", (c) =>
    c.stream(
      (async function* rows() {
        yield "a,b\n"
      })(),
      { contentType: "text/csv" },
    ),
  )
  return app
}

async function firstChunk(res: Response): Promise<string> {
  const reader = res.body!.getReader()
  const { value } = await reader.read()
  await reader.cancel()
  return new TextDecoder().decode(value)
}

async function waitFor(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await sleep(10)
}

describe("streaming responses", () => {
  const events: string[] = []
  const app = makeApp(events)
  let server: TrussServer
  beforeAll(async () => {
    server = await app.listen({ port: 0, signals: false })
  })
  afterAll(() => app.close())

  it("closes the SSE source when an in-process reader cancels", async () => {
    events.length = 0
    const res = await app.request("/ticks")
    expect(await firstChunk(res)).toBe('event: tick\ndata: {"n":1}\n\n')
    await waitFor(() => events.length > 0)
    expect(events).toEqual(["source closed"])
  })

  it("closes the SSE source when a socket client disconnects", async () => {
    events.length = 0
    const controller = new AbortController()
    const res = await fetch(`${server.url}/ticks`, { signal: controller.signal })
    const reader = res.body!.getReader()
    const { value } = await reader.read()
    expect(new TextDecoder().decode(value)).toBe('event: tick\ndata: {"n":1}\n\n')
    controller.abort()
    await waitFor(() => events.length > 0)
    expect(events).toEqual(["source closed"])
  })

  it("answers HEAD for a streamed GET with headers and no body on every transport", async () => {
    const viaRequest = await app.request("/csv", { method: "HEAD" })
    const viaSocket = await fetch(`${server.url}/csv`, { method: "HEAD" })
    for (const res of [viaRequest, viaSocket]) {
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toBe("text/csv")
      expect(res.headers.get("content-length")).toBe(null)
      expect(await res.text()).toBe("")
    }
  })

  it("fails the body, not the process, when a stream source throws midway", async () => {
    const inProcess = await app.request("/broken")
    expect(inProcess.status).toBe(200)
    await expect(inProcess.text()).rejects.toThrow("source failed")

    const overSocket = await fetch(`${server.url}/broken`)
    expect(overSocket.status).toBe(200)
    await expect(overSocket.text()).rejects.toThrow("terminated")
    // The server keeps serving.
    expect(await (await fetch(`${server.url}/csv`)).text()).toBe("a,b\n")
  })
})

describe("c.req.signal over a real socket", () => {
  it("is aborted when the client disconnects, whether read before or after it left", async () => {
    const seen: Record<string, boolean> = {}
    const app = new App({ logger: false })
    app.get("/early", async (c) => {
      const signal = c.req.signal
      await sleep(200)
      seen.early = signal.aborted
      return "x"
    })
    app.get("/late", async (c) => {
      await sleep(200)
      seen.late = c.req.signal.aborted
      return "x"
    })
    app.get("/stays", async (c) => {
      await sleep(50)
      seen.stays = c.req.signal.aborted
      return "x"
    })
    const server = await app.listen({ port: 0, signals: false })
    try {
      for (const path of ["/early", "/late"]) {
        const controller = new AbortController()
        const res = fetch(`${server.url}${path}`, { signal: controller.signal }).catch(
          (err: Error) => err.name,
        )
        await sleep(50)
        controller.abort()
        expect(await res).toBe("AbortError")
      }
      expect(await (await fetch(`${server.url}/stays`)).text()).toBe("x")
      await waitFor(() => Object.keys(seen).length === 3)
      expect(seen).toEqual({ early: true, late: true, stays: false })
    } finally {
      await app.close()
    }
  })
})
