import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App, TrussError } from "../../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "truss-file-fds-"))
const LARGE = randomBytes(300_000) // several 64 KiB read chunks
const large = join(dir, "large.bin")
writeFileSync(large, LARGE)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Open descriptors of this process (vitest runs each file in its own fork). */
const openFds = () => readdirSync("/proc/self/fd").length

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The count once it has not changed for 100 ms: earlier sockets finish closing first. */
async function quiet(): Promise<number> {
  let last = openFds()
  for (let stable = 0, i = 0; stable < 5 && i < 200; i++) {
    await sleep(20)
    const now = openFds()
    stable = now === last ? stable + 1 : 0
    last = now
  }
  return last
}

/** Polls until the count is down to `baseline` (sockets close asynchronously); no GC involved. */
async function settle(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && openFds() > baseline; i++) await sleep(20)
  return openFds()
}

function makeApp(): App {
  const app = new App()
  app.get("/large", (c) => c.file(large))
  // A later decision drops the file body without ever reading it (e.g. a cache layer's 304).
  app.get("/dropped", async (c) => {
    await c.file(large)
    c.status = 304
    c.body = null
    return c
  })
  app.get("/replaced", async (c) => {
    const reply = await c.file(join(dir, "swap.txt"))
    const next = join(dir, "swap.next")
    writeFileSync(next, "a longer, different file")
    renameSync(next, join(dir, "swap.txt"))
    return reply
  })
  return app
}

describe.skipIf(!existsSync("/proc/self/fd"))("c.file() file descriptors", () => {
  const app = makeApp()
  let url = ""
  beforeAll(async () => {
    url = (await app.listen({ port: 0, signals: false })).url
  })
  afterAll(() => app.close())

  function send(path: string, method = "GET"): Promise<{ status: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { method, agent: false }, (res) => {
        let bytes = 0
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length
        })
        res.on("end", () => resolve({ status: res.statusCode!, bytes }))
      })
      req.on("error", reject)
      req.end()
    })
  }

  /** GETs `path` and hangs up on the first chunk of the body. */
  function abort(path: string): Promise<void> {
    return new Promise((resolve) => {
      const req = request(`${url}${path}`, { agent: false }, (res) => {
        res.once("data", () => {
          req.destroy()
          resolve()
        })
      })
      req.on("error", () => resolve())
      req.end()
    })
  }

  it("streams the large file whole and closes it at the end", async () => {
    expect(await send("/large")).toEqual({ status: 200, bytes: LARGE.length })
    const baseline = await quiet()
    for (let i = 0; i < 20; i++) {
      expect(await send("/large")).toEqual({ status: 200, bytes: LARGE.length })
    }
    expect(await settle(baseline)).toBeLessThanOrEqual(baseline)
  })

  it("returns to the baseline after HEAD requests and aborted GETs on a real socket", async () => {
    await send("/large", "HEAD")
    await abort("/large")
    const baseline = await quiet()
    for (let i = 0; i < 40; i++) {
      expect(await send("/large", "HEAD")).toEqual({ status: 200, bytes: 0 })
      await abort("/large")
    }
    expect(await settle(baseline)).toBeLessThanOrEqual(baseline)
  })

  it("holds no descriptor for a file body that is created and then dropped", async () => {
    await send("/dropped")
    const baseline = await quiet()
    for (let i = 0; i < 40; i++) {
      expect(await send("/dropped")).toEqual({ status: 304, bytes: 0 })
      const res = await app.request("/dropped")
      expect(res.status).toBe(304)
      expect(await res.text()).toBe("")
    }
    expect(await settle(baseline)).toBeLessThanOrEqual(baseline)
  })

  it("cuts the response off with TRUSS_ERR_FILE_CHANGED when the file is replaced before it streams", async () => {
    writeFileSync(join(dir, "swap.txt"), "the original")
    const res = await app.request("/replaced")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-length")).toBe("12")
    const failure = await res.text().then(
      () => "read",
      (err: Error) => err,
    )
    expect(failure).toBeInstanceOf(TrussError)
    expect((failure as TrussError).code).toBe("TRUSS_ERR_FILE_CHANGED")
  })
})
