import { createServer, type IncomingMessage } from "node:http"
import { duplexPair } from "node:stream"
import { WebSocket } from "ws"
import { type App, upgradeListener } from "../kit.js"

/**
 * A frame a test socket received: the parsed JSON, or the text when it is not JSON.
 * @example
 * ```ts
 * import type { TestFrame } from "truss/testing"
 * const frame: TestFrame = { event: "said", channel: "rooms/1", data: { text: "hi" } }
 * ```
 */
export type TestFrame = { event?: string; channel?: string; data?: unknown; id?: string } & Record<
  string,
  unknown
>

/**
 * Why an upgrade was refused: the HTTP status and body the server answered with.
 * @example
 * ```ts
 * import { UpgradeRefused } from "truss/testing"
 * const err = new UpgradeRefused(403, "{}")
 * err.status // 403
 * ```
 */
export class UpgradeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`The upgrade was refused with ${status}: ${body}`)
    this.name = "UpgradeRefused"
  }
}

/**
 * A WebSocket opened by `client.ws(path)`: send JSON, await frames in order, await the close.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createClient } from "truss/testing"
 * const client = createClient(new App())
 * // const socket = await client.ws("/rooms/1")
 * // socket.send({ text: "hi" }); const frame = await socket.next()
 * ```
 */
export class TestSocket {
  /** The `ws` client underneath. */
  readonly raw: WebSocket
  /** Resolves with the close code and reason once the socket has closed. */
  readonly closed: Promise<{ code: number; reason: string }>
  readonly #frames: TestFrame[] = []
  readonly #waiting: ((f: TestFrame) => void)[] = []

  /** @internal */
  constructor(raw: WebSocket) {
    this.raw = raw
    raw.on("message", (data, binary) => {
      const text = binary ? "" : data.toString()
      let frame: TestFrame
      try {
        frame = JSON.parse(text) as TestFrame
      } catch {
        frame = { text }
      }
      const wake = this.#waiting.shift()
      if (wake) wake(frame)
      else this.#frames.push(frame)
    })
    this.closed = new Promise((resolve) =>
      raw.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    )
  }

  /** Sends `value` as a JSON text frame. */
  send(value: unknown): void {
    this.raw.send(JSON.stringify(value))
  }

  /** The next frame, in arrival order. @param timeout - ms before it rejects. @default 2000 */
  next(timeout = 2000): Promise<TestFrame> {
    const ready = this.#frames.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(wake), 1)
        reject(new Error(`No frame within ${timeout} ms`))
      }, timeout)
      const wake = (f: TestFrame) => {
        clearTimeout(timer)
        resolve(f)
      }
      this.#waiting.push(wake)
    })
  }

  /** Skips frames until one with this `event` (and `channel`, if given) arrives. */
  async nextEvent(event: string, channel?: string, timeout = 2000): Promise<TestFrame> {
    for (;;) {
      const f = await this.next(timeout)
      if (f.event === event && (channel === undefined || f.channel === channel)) return f
    }
  }

  /** Frames received and not read yet. */
  get pending(): readonly TestFrame[] {
    return this.#frames
  }

  /** Closes and waits until closed. */
  async close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.raw.readyState === WebSocket.OPEN || this.raw.readyState === WebSocket.CONNECTING)
      this.raw.close(code)
    return this.closed
  }
}

/** Options of `client.ws()`. @internal */
export interface OpenOptions {
  headers: Record<string, string>
  /** Called with each `Set-Cookie` of the 101 response. */
  setCookie(line: string): Promise<void>
}

/**
 * Opens a WebSocket to `url` over the network, or to an app in-process: then the app's
 * `'upgrade'` path runs on a node server fed by an in-memory stream pair, no port opened.
 * @internal
 */
export function openSocket(
  target: App | undefined,
  url: string,
  options: OpenOptions,
): Promise<TestSocket> {
  const wsUrl = url.replace(/^http/, "ws")
  let raw: WebSocket
  if (target === undefined) {
    raw = new WebSocket(wsUrl, { headers: options.headers })
  } else {
    const server = createServer((_req, res) => res.writeHead(400).end())
    server.on("upgrade", upgradeListener(target))
    const [serverSide, clientSide] = duplexPair()
    server.emit("connection", serverSide)
    raw = new WebSocket(wsUrl, {
      headers: options.headers,
      createConnection: () => clientSide as never,
    })
  }
  return new Promise((resolve, reject) => {
    raw.once("upgrade", (res: IncomingMessage) => {
      const lines = res.headers["set-cookie"] ?? []
      Promise.all(lines.map((l) => options.setCookie(l))).then(() => undefined, reject)
    })
    raw.once("open", () => resolve(new TestSocket(raw)))
    raw.once("unexpected-response", (_req, res: IncomingMessage) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => {
        body += chunk
      })
      res.on("end", () => reject(new UpgradeRefused(res.statusCode ?? 0, body)))
      res.on("error", () => reject(new UpgradeRefused(res.statusCode ?? 0, body)))
    })
    raw.once("error", reject)
  })
}
