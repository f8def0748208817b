import { describe, expect, it } from "vitest"
import { App, Blueprint, HttpError } from "../../src/index.js"
import { metrics } from "../../src/ops/index.js"

/** The sample lines of one metric family, without timestamps or HELP/TYPE lines. */
function samples(text: string, name: string): string[] {
  return text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
}

function demo(options: Parameters<typeof metrics>[1] = {}) {
  const app = new App()
  const registry = metrics(app, { defaultMetrics: false, ...options })
  const api = new Blueprint({ prefix: "/api", name: "api" })
  api.get("/items/:id", { name: "item" }, (c) => ({ id: c.params.id }))
  app.register(api)
  app.get("/boom", () => {
    throw new HttpError(418, "teapot")
  })
  return { app, registry }
}

describe("metrics(): Prometheus request metrics", () => {
  it("counts requests by method, route name (never the raw path) and status class", async () => {
    const { app } = demo()
    for (const id of ["1", "2", "3"])
      expect((await app.request(`/api/items/${id}`)).status).toBe(200)
    expect((await app.request("/boom")).status).toBe(418)
    expect((await app.request("/nowhere/42")).status).toBe(404)
    const res = await app.request("/metrics")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8")
    const text = await res.text()
    expect(samples(text, "truss_http_requests_total")).toEqual([
      'truss_http_requests_total{method="GET",route="api.item",status="2xx"} 3',
      'truss_http_requests_total{method="GET",route="GET /boom",status="4xx"} 1',
      'truss_http_requests_total{method="GET",route="unmatched",status="4xx"} 1',
    ])
    expect(samples(text, "truss_http_request_duration_seconds_count")).toEqual([
      'truss_http_request_duration_seconds_count{method="GET",route="api.item",status="2xx"} 3',
      'truss_http_request_duration_seconds_count{method="GET",route="GET /boom",status="4xx"} 1',
      'truss_http_request_duration_seconds_count{method="GET",route="unmatched",status="4xx"} 1',
    ])
    expect(
      samples(text, "truss_http_request_duration_seconds_bucket").filter((l) =>
        l.includes('le="+Inf"'),
      ),
    ).toEqual([
      'truss_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="api.item",status="2xx"} 3',
      'truss_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="GET /boom",status="4xx"} 1',
      'truss_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="unmatched",status="4xx"} 1',
    ])
    expect(text).not.toContain("/api/items/1")
  })

  it("protects /metrics with a bearer token when given one", async () => {
    const { app } = demo({ token: "s3cret-scrape-token" })
    const denied = await app.request("/metrics")
    expect(denied.status).toBe(401)
    expect(denied.headers.get("www-authenticate")).toBe('Bearer realm="metrics"')
    expect(((await denied.json()) as { code: string }).code).toBe(
      "TRUSS_ERR_OPS_METRICS_UNAUTHORIZED",
    )
    expect(
      (await app.request("/metrics", { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401)
    const ok = await app.request("/metrics", {
      headers: { authorization: "Bearer s3cret-scrape-token" },
    })
    expect(ok.status).toBe(200)
    expect(samples(await ok.text(), "truss_http_requests_total")).toEqual([
      'truss_http_requests_total{method="GET",route="metrics",status="4xx"} 2',
    ])
  })

  it("adds Node's default metrics (event-loop lag) under the prefix when asked", async () => {
    const app = new App()
    const registry = metrics(app, { prefix: "shop_" })
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name)
    expect(names).toContain("shop_nodejs_eventloop_lag_seconds")
    expect(names).toContain("shop_http_requests_total")
  })
})
