import { connect } from "node:net"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, type TrussServer } from "../../src/index.js"
import { sleep } from "./cluster.js"
import { fuzzApp } from "./fixtures/fuzz-app.js"
import { rawRequest, sendRaw } from "./http-fuzz.js"

const RUNS = Number(process.env.TRUSS_FUZZ_RUNS ?? 300)

/** The error-level line of the multipart client-abort defect (see the test below). */
const isMultipartAbort = (line: string) => {
  const l = JSON.parse(line) as { msg?: string; err?: { code?: string } }
  return l.msg === "aborted" && l.err?.code === "ECONNRESET"
}

describe("raw HTTP fuzz (fast-check over node:net)", () => {
  const errors: string[] = []
  let server: TrussServer
  beforeAll(async () => {
    server = await fuzzApp({ write: (line) => void errors.push(line) }).listen({
      port: 0,
      signals: false,
    })
  })
  afterAll(() => server?.close())

  it(`${RUNS} requests: no 5xx, the connection always ends, and a normal request answers after each`, async () => {
    const statuses: Record<string, number> = {}
    await fc.assert(
      fc.asyncProperty(rawRequest, async ({ bytes }) => {
        const res = await sendRaw(server.port, bytes)
        const key = String(res.status ?? "closed")
        statuses[key] = (statuses[key] ?? 0) + 1
        expect(res.closed).toBe(true)
        expect(res.status === undefined || res.status < 500).toBe(true)
        const next = await fetch(`${server.url}/items/1`)
        expect([next.status, await next.json()]).toEqual([200, { id: "1" }])
      }),
      { numRuns: RUNS },
    )
    const multipartAborts = errors.filter(isMultipartAbort).length
    console.log("http fuzz:", JSON.stringify({ runs: RUNS, statuses, multipartAborts }))
    // Nothing was logged as a server error but the known multipart abort (no client saw it).
    expect(errors.filter((l) => !isMultipartAbort(l))).toEqual([])
  }, 90_000)
})

describe("a client that drops in the middle of a multipart body", () => {
  // DEFECT: src/body/multipart.ts:133 (`source.on("error", fail)`) passes node's raw
  // "aborted" ECONNRESET on, so the request ends as a 500 TRUSS_ERR_INTERNAL logged at
  // error level with a stack; a buffered body (src/body/collect.ts:33) makes the same
  // drop a 499 TRUSS_ERR_CLIENT_ABORTED at info. Remove `.fails` once fixed.
  it("is logged at info as a 499 client abort, as a buffered body is", async () => {
    const lines: { level: number; status?: number }[] = []
    const destination = { write: (l: string) => void lines.push(JSON.parse(l)) }
    const app = new App({ logger: { level: "info", pretty: false, destination } })
    app.post("/form", async (c) => ({ fields: [...(await c.req.form()).keys()].length }))
    const server = await app.listen({ port: 0, signals: false })
    const socket = connect(server.port, "127.0.0.1")
    socket.on("error", () => {})
    await new Promise((r) => socket.once("connect", r))
    socket.write(
      "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n" +
        'Content-Length: 2000\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhello',
    )
    await sleep(50)
    socket.destroy()
    for (let i = 0; i < 50 && !lines.some((l) => l.status !== undefined); i++) await sleep(20)
    await server.close()
    expect(lines.filter((l) => l.level >= 50)).toEqual([])
    expect(lines.map((l) => [l.level, l.status])).toEqual([[30, 499]])
  })
})
