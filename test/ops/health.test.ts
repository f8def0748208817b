import { describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { databaseCheck, health, opsErrors, redisCheck } from "../../src/ops/index.js"
import { connect } from "../../src/orm/index.js"
import { conformanceTargets } from "../support/conformance.js"

const targets = await conformanceTargets()

describe("health(): /healthz and /readyz", () => {
  for (const { name, db } of targets.databases) {
    it(`${name}: /readyz answers 200 with the database check ok`, async () => {
      const app = new App().register(health({ checks: { database: databaseCheck(db) } }))
      const res = await app.request("/readyz")
      expect(res.status).toBe(200)
      expect(res.headers.get("cache-control")).toBe("no-store")
      expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok" } })
    })
  }

  it.runIf(targets.redis)("redis: PING counts as ready", async () => {
    const app = new App().register(health({ checks: { redis: redisCheck(targets.redis!) } }))
    expect(await (await app.request("/readyz")).json()).toEqual({
      status: "ok",
      checks: { redis: "ok" },
    })
  })

  it("answers /healthz 200 while a check fails, and /readyz a coded 503 naming it", async () => {
    // Nothing listens on port 1: the pool's connect is refused.
    const closed = await connect("postgres://postgres@127.0.0.1:1/test")
    const app = new App({ logger: false }).register(
      health({
        timeoutMs: 50,
        checks: {
          database: databaseCheck(closed),
          queue: () => new Promise(() => {}),
          cache: () => undefined,
        },
      }),
    )
    const live = await app.request("/healthz")
    expect(live.status).toBe(200)
    expect(await live.json()).toEqual({ status: "ok" })
    const ready = await app.request("/readyz")
    expect(ready.status).toBe(503)
    expect(ready.headers.get("content-type")).toBe("application/problem+json")
    const { requestId, ...body } = (await ready.json()) as { requestId: string }
    expect(requestId).toMatch(/^[0-9a-f]{32}$/)
    expect(body).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      code: "TRUSS_ERR_OPS_NOT_READY",
      detail:
        "Not ready: database failed, queue timeout. The app is up but a service it needs is not answering; the checks member says which.",
      checks: { database: "failed", queue: "timeout", cache: "ok" },
    })
    await closed.close()
  })

  it("names its routes health.live and health.ready and takes other paths", () => {
    const app = new App().register(health({ livePath: "/live", readyPath: "/ready" }))
    expect(app.routeTable().map((r) => [r.method, r.path, r.name])).toEqual([
      ["GET", "/live", "health.live"],
      ["GET", "/ready", "health.ready"],
    ])
  })

  it("refuses a check that is not a function", () => {
    const bad = { checks: { database: "SELECT 1" } } as unknown as Parameters<typeof health>[0]
    expect(() => health(bad)).toThrow(opsErrors.BAD_CHECK({ name: "database" }).message)
  })
})
