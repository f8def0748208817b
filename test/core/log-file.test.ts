import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { pino } from "pino"
import { describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { LogFile } from "../../src/logging/log-file.js"
import { createLogger } from "../../src/logging/logger.js"

const dir = mkdtempSync(join(tmpdir(), "truss-log-"))

function readLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe("logger destination: a file path", () => {
  it("appends buffered lines within 50 ms, after what the file held", async () => {
    const path = join(dir, "turn.log")
    writeFileSync(path, "kept\n")
    const file = new LogFile(path)
    file.write("a\n")
    file.write("b\n")
    await new Promise((resolve) => setImmediate(resolve))
    expect(readFileSync(path, "utf8")).toBe("kept\n")
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(readFileSync(path, "utf8")).toBe("kept\na\nb\n")
    file.write("c\n")
    file.end()
    expect(readFileSync(path, "utf8")).toBe("kept\na\nb\nc\n")
    file.write("dropped\n")
    file.flushSync()
    expect(readFileSync(path, "utf8")).toBe("kept\na\nb\nc\n")
  })

  it("writes at once when 16 KiB are pending", () => {
    const path = join(dir, "big.log")
    const file = new LogFile(path)
    const line = `${"x".repeat(1023)}\n`
    for (let i = 0; i < 15; i++) file.write(line)
    expect(readFileSync(path, "utf8")).toBe("")
    file.write(line)
    expect(readFileSync(path, "utf8")).toBe(line.repeat(16))
    file.end()
  })

  it("refuses a path it cannot open, naming the option and the fix", () => {
    const path = join(dir, "missing", "app.log")
    expect(() => new App({ logger: { destination: path } })).toThrow(
      `Option logger.destination is invalid: cannot open "${path}" for appending (ENOENT); create its folder or choose a writable path.`,
    )
  })

  it("logs whole and streamed responses over a socket, flushed by app.close()", async () => {
    const path = join(dir, "app.log")
    const app = new App({ logger: { destination: path } })
    app.get("/json", () => ({ ok: true }))
    app.get("/stream", (c) => c.stream(Readable.from(["x".repeat(100_000), "y"])))
    const server = await app.listen({ port: 0, signals: false })
    const json = await fetch(`${server.url}/json`)
    expect(await json.json()).toEqual({ ok: true })
    const stream = await fetch(`${server.url}/stream`)
    expect((await stream.text()).length).toBe(100_001)
    await app.close()
    const lines = readLines(path).map(({ method, path, status, reqId, level }) => ({
      method,
      path,
      status,
      level,
      reqId,
    }))
    expect(lines).toEqual([
      {
        method: "GET",
        path: "/json",
        status: 200,
        level: 30,
        reqId: json.headers.get("x-request-id"),
      },
      {
        method: "GET",
        path: "/stream",
        status: 200,
        level: 30,
        reqId: stream.headers.get("x-request-id"),
      },
    ])
  })
})

describe("request lines written directly", () => {
  it("are the bytes pino's log.info() writes for the same fields", () => {
    const chunks: string[] = []
    const { log, requestLine: write } = createLogger(
      { destination: { write: (s: string) => chunks.push(s) } },
      false,
    )
    expect(write).toBeTypeOf("function")
    const path = '/a "quoted"/\u00e9\u2028/\\'
    write?.("req-1", "GET", path, 404, 1.25, performance.now())
    log.info(
      { reqId: "req-1", method: "GET", path, status: 404, ms: 1.25 },
      `GET ${path} 404 1.25ms`,
    )
    const [fast, pinoLine] = chunks.map((l) => l.replace(/"time":\d+/, '"time":0'))
    expect(fast).toBe(pinoLine)
  })

  it("take the wall-clock time from the request's end on the monotonic clock", () => {
    const chunks: string[] = []
    const { requestLine: write } = createLogger(
      { destination: { write: (s: string) => chunks.push(s) } },
      false,
    )
    const timeOf = (line: string | undefined) => (JSON.parse(line!) as { time: number }).time
    const before = Date.now()
    write?.("a", "GET", "/", 200, 1, performance.now())
    const after = Date.now()
    expect(timeOf(chunks[0])).toBeGreaterThanOrEqual(before)
    expect(timeOf(chunks[0])).toBeLessThanOrEqual(after)
    // Within the anchoring second, a later end is a later time by the same amount.
    const anchored = performance.now()
    write?.("b", "GET", "/", 200, 1, anchored + 250)
    write?.("c", "GET", "/", 200, 1, anchored + 750)
    expect(timeOf(chunks[2]) - timeOf(chunks[1])).toBe(500)
    // A second later the time is re-anchored on Date.now() (a stepped clock shows).
    const later = performance.now() + 5_000
    write?.("d", "GET", "/", 200, 1, later)
    expect(Math.abs(timeOf(chunks[3]) - Date.now())).toBeLessThan(50)
  })

  it("are not used for pretty output, a level above info or a logger you pass in", () => {
    const sink = { write: () => {} }
    expect(
      createLogger({ destination: join(dir, "pretty.log"), pretty: true }, false).requestLine,
    ).toBe(undefined)
    expect(createLogger({ destination: sink, level: "warn" }, false).requestLine).toBe(undefined)
    const own = pino(sink)
    expect(createLogger(own, false).requestLine).toBe(undefined)
  })
})
