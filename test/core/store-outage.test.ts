import { createServer } from "node:net"
import { Redis } from "ioredis"
import { afterAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { connect } from "../../src/orm/index.js"
import { rateLimit, redisRateLimitStore } from "../../src/security/index.js"
import { redisStore, sessions } from "../../src/sessions/index.js"
import { createClient } from "../../src/testing/index.js"

/** A port nothing listens on: a server down, for real. */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

describe("a store that is down answers a coded 503, not a 500", async () => {
  const port = await deadPort()
  const client = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  })
  client.on("error", () => {}) // the refused connection, expected here
  afterAll(() => client.disconnect())

  it("sessions() on Redis: TRUSS_ERR_SESSION_STORE_UNAVAILABLE with Retry-After", async () => {
    const app = new App({ logger: false })
    app.use(
      sessions({
        secret: "store-outage-secret-store-outage-secret",
        store: redisStore({ client }),
      }),
    )
    app.post("/visit", (c) => {
      ;(c.session as unknown as { set(k: string, v: unknown): void }).set("n", 1)
      return { ok: true }
    })
    const res = await createClient(app).post("/visit")
    expect([
      res.status,
      res.headers.get("retry-after"),
      ((await res.json()) as { code: string }).code,
    ]).toEqual([503, "1", "TRUSS_ERR_SESSION_STORE_UNAVAILABLE"])
  })

  it("rateLimit() on Redis fails closed: TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE", async () => {
    const app = new App({ logger: false })
    app.use(rateLimit({ window: 60, max: 10, store: redisRateLimitStore({ client }) }))
    app.get("/", () => "ok")
    const res = await createClient(app).get("/")
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
      503,
      "TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE",
    ])
  })

  it("a PostgreSQL that cannot be reached: TRUSS_ERR_ORM_UNAVAILABLE", async () => {
    const db = await connect(`postgres://postgres@127.0.0.1:${port}/test`)
    await expect(db.run("SELECT 1", [])).rejects.toMatchObject({
      code: "TRUSS_ERR_ORM_UNAVAILABLE",
      status: 503,
      expose: true,
    })
    await db.close()
  })
})
