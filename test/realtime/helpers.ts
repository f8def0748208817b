import { App } from "../../src/index.js"
import { type RealtimeOptions, realtime } from "../../src/realtime/index.js"
import { createClient, type TestClient } from "../../src/testing/index.js"

/** An app with realtime, served on a free port, closed by `stop()`. */
export async function served(
  setup: (rt: ReturnType<typeof realtime>, app: App) => void,
  options: RealtimeOptions = {},
) {
  const app = new App()
  const rt = realtime(app, options)
  setup(rt, app)
  const server = await app.listen({ port: 0, signals: false, shutdownTimeout: 1000 })
  const client: TestClient = createClient(server.url)
  return { app, rt, server, client, url: server.url, stop: () => app.close() }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Polls `check` until it returns true (or throws after `timeout` ms). */
export async function until(
  check: () => boolean,
  timeout = 3000,
  what = "condition",
): Promise<void> {
  const end = Date.now() + timeout
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await sleep(10)
  }
}
