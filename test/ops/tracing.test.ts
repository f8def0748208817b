import {
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api"
import pg from "pg"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { metrics, tracing, tracingEnabled } from "../../src/ops/index.js"
import { connect } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../support/services.js"

/** A finished span as the recording provider keeps it. */
interface Finished {
  name: string
  kind: SpanKind | undefined
  attributes: Attributes
  status: SpanStatus
  scope: string
  exceptions: number
}

/** A tracer provider written against the @opentelemetry/api interfaces that records every span it ends. */
class RecordingProvider implements TracerProvider {
  readonly finished: Finished[] = []
  getTracer(scope: string): Tracer {
    const done = this.finished
    const startSpan = (name: string, options: SpanOptions = {}, _ctx?: Context): Span => {
      const attributes: Attributes = { ...options.attributes }
      let status: SpanStatus = { code: SpanStatusCode.UNSET }
      let exceptions = 0
      const ids: SpanContext = { traceId: "1".repeat(32), spanId: "2".repeat(16), traceFlags: 1 }
      const span: Span = {
        spanContext: () => ids,
        setAttribute: (k, v) => {
          attributes[k] = v
          return span
        },
        setAttributes: (a) => {
          Object.assign(attributes, a)
          return span
        },
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: (s) => {
          status = s
          return span
        },
        updateName: (n) => {
          name = n
          return span
        },
        end: () => {
          done.push({ name, kind: options.kind, attributes, status, scope, exceptions })
        },
        isRecording: () => true,
        recordException: () => {
          exceptions++
        },
      }
      return span
    }
    return {
      startSpan,
      startActiveSpan: (() => {
        throw new Error("not used by truss")
      }) as Tracer["startActiveSpan"],
    }
  }
}

describe("tracing()", () => {
  afterEach(() => trace.disable())

  it("makes no span while no provider is registered", async () => {
    const app = new App()
    tracing(app)
    app.get("/", { name: "home" }, () => "hi")
    expect(tracingEnabled()).toBe(false)
    const res = await app.request("/")
    expect([res.status, await res.text()]).toEqual([200, "hi"])
  })

  it("records a SERVER span per request, named by route, with HTTP attributes", async () => {
    const provider = new RecordingProvider()
    expect(trace.setGlobalTracerProvider(provider)).toBe(true)
    expect(tracingEnabled()).toBe(true)
    const app = new App({ logger: false })
    tracing(app, { tracerName: "shop" })
    app.get("/users/:id", { name: "user" }, (c) => c.params.id)
    app.get("/boom", () => {
      throw new Error("boom")
    })
    expect((await app.request("/users/7")).status).toBe(200)
    expect((await app.request("/boom")).status).toBe(500)
    expect((await app.request("/nowhere")).status).toBe(404)
    expect(provider.finished).toEqual([
      {
        name: "GET user",
        kind: SpanKind.SERVER,
        scope: "shop",
        exceptions: 0,
        status: { code: SpanStatusCode.UNSET },
        attributes: {
          "http.request.method": "GET",
          "url.path": "/users/7",
          "url.scheme": "http",
          "server.address": "localhost",
          "http.route": "/users/:id",
          "http.response.status_code": 200,
        },
      },
      {
        name: "GET GET /boom",
        kind: SpanKind.SERVER,
        scope: "shop",
        exceptions: 0,
        status: { code: SpanStatusCode.ERROR },
        attributes: {
          "http.request.method": "GET",
          "url.path": "/boom",
          "url.scheme": "http",
          "server.address": "localhost",
          "http.route": "/boom",
          "http.response.status_code": 500,
        },
      },
      {
        name: "GET unmatched",
        kind: SpanKind.SERVER,
        scope: "shop",
        exceptions: 0,
        status: { code: SpanStatusCode.UNSET },
        attributes: {
          "http.request.method": "GET",
          "url.path": "/nowhere",
          "url.scheme": "http",
          "server.address": "localhost",
          "http.response.status_code": 404,
        },
      },
    ])
  })
})

describe("metrics({ pools })", async () => {
  const up = await hasService("postgres")
  const pool = new pg.Pool({ connectionString: SERVICES.postgres.url, max: 2 })
  afterAll(() => pool.end())

  it.runIf(up)(
    "reports a real pg pool's total, idle and waiting connections at each scrape",
    async () => {
      const app = new App()
      metrics(app, { pools: { main: pool }, defaultMetrics: false })
      const gauge = async () =>
        (await (await app.request("/metrics")).text())
          .split("\n")
          .filter((l) => l.startsWith("truss_db_pool_connections{"))
      const a = await pool.connect()
      const b = await pool.connect()
      b.release()
      expect(await gauge()).toEqual([
        'truss_db_pool_connections{pool="main",state="total"} 2',
        'truss_db_pool_connections{pool="main",state="idle"} 1',
        'truss_db_pool_connections{pool="main",state="waiting"} 0',
      ])
      const c = await pool.connect()
      const queued = pool.connect() // the pool is full (max 2): this one waits
      expect(await gauge()).toEqual([
        'truss_db_pool_connections{pool="main",state="total"} 2',
        'truss_db_pool_connections{pool="main",state="idle"} 0',
        'truss_db_pool_connections{pool="main",state="waiting"} 1',
      ])
      a.release()
      ;(await queued).release()
      c.release()
    },
  )

  it("reports a truss/orm Database through its poolStats()", async () => {
    const db = await connect("sqlite::memory:")
    const app = new App()
    metrics(app, { pools: { app: db }, defaultMetrics: false })
    const lines = (await (await app.request("/metrics")).text())
      .split("\n")
      .filter((l) => l.startsWith("truss_db_pool_connections{"))
    expect(lines).toEqual([
      'truss_db_pool_connections{pool="app",state="total"} 1',
      'truss_db_pool_connections{pool="app",state="idle"} 1',
      'truss_db_pool_connections{pool="app",state="waiting"} 0',
    ])
    await db.close()
  })
})
