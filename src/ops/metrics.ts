/**
 * `metrics()`: Prometheus metrics with prom-client. Every request is counted and timed,
 * labelled by method, route name (the route pattern when unnamed, `unmatched` for
 * 404s: never the raw path, so label values stay bounded) and status class; the
 * registry (also Node's default metrics: event-loop lag, heap, GC) is served as text.
 * @module
 */
import { timingSafeEqual } from "node:crypto"
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client"
import type { App, Context, Middleware } from "../kit.js"
import { opsErrors } from "./errors.js"

/**
 * Options for {@link metrics}.
 * @example
 * ```ts
 * import type { MetricsOptions } from "truss/ops"
 * const options: MetricsOptions = { path: "/metrics", token: process.env.METRICS_TOKEN }
 * ```
 */
export interface MetricsOptions {
  /** Where the text exposition is served. @default "/metrics" */
  path?: string
  /** When set, scrapes must send `Authorization: Bearer <token>` (else 401). */
  token?: string | undefined
  /** The registry to fill and serve; batteries and apps add their metrics to it. @default a new Registry */
  registry?: Registry
  /** Prefix of metric names. @default "truss_" */
  prefix?: string
  /** Duration buckets in seconds. @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] */
  buckets?: number[]
  /** Also collect Node's default metrics (event-loop lag, memory, GC). @default true */
  defaultMetrics?: boolean
  /**
   * Connection pools to report as `truss_db_pool_connections{pool,state}` (state
   * `total`, `idle`, `waiting`), read at each scrape: a truss/orm `Database` (its
   * `poolStats()`), a `pg` Pool, or anything with the same three counts.
   */
  pools?: Readonly<Record<string, PoolCounts | { poolStats(): PoolCounts }>>
}

/**
 * The counts a pool reports (a `pg` Pool has them).
 * @example
 * ```ts
 * import type { PoolCounts } from "truss/ops"
 * const counts: PoolCounts = { totalCount: 10, idleCount: 7, waitingCount: 0 }
 * ```
 */
export interface PoolCounts {
  readonly totalCount: number
  readonly idleCount: number
  readonly waitingCount: number
}

function poolGauge(
  registry: Registry,
  prefix: string,
  pools: NonNullable<MetricsOptions["pools"]>,
): void {
  new Gauge({
    name: `${prefix}db_pool_connections`,
    help: "Database pool connections by state: total open, idle, and queries waiting for one.",
    labelNames: ["pool", "state"] as const,
    registers: [registry],
    collect() {
      for (const [pool, source] of Object.entries(pools)) {
        const p = "poolStats" in source ? source.poolStats() : source
        this.set({ pool, state: "total" }, p.totalCount)
        this.set({ pool, state: "idle" }, p.idleCount)
        this.set({ pool, state: "waiting" }, p.waitingCount)
      }
    },
  })
}

/**
 * The label a request's route gets: its name, else its pattern, else `unmatched`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { routeLabel } from "truss/ops"
 * const app = new App().get("/users/:id", (c) => routeLabel(c)) // answers "GET /users/:id"
 * ```
 */
export function routeLabel(c: Context): string {
  const route = c.route
  if (route === undefined) return "unmatched"
  return route.name ?? `${route.method} ${route.path}`
}

function sameToken(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given)
  return g.length === expected.length && timingSafeEqual(g, expected)
}

/**
 * Installs request metrics on `app` (middleware) and serves them at `path`; returns the
 * registry. Call it before declaring routes you want measured; the middleware sees every
 * route either way, since app middleware runs for all. Metrics: `truss_http_requests_total`
 * (counter) and `truss_http_request_duration_seconds` (histogram), labels `method`,
 * `route`, `status` (`2xx` … `5xx`).
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { metrics } from "truss/ops"
 * const app = new App()
 * const registry = metrics(app, { token: process.env.METRICS_TOKEN })
 * app.get("/", { name: "home" }, () => "hi")
 * // GET /metrics → truss_http_requests_total{method="GET",route="home",status="2xx"} 1
 * ```
 */
export function metrics(app: App, options: MetricsOptions = {}): Registry {
  const registry = options.registry ?? new Registry()
  const prefix = options.prefix ?? "truss_"
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix })
  if (options.pools) poolGauge(registry, prefix, options.pools)
  const labelNames = ["method", "route", "status"] as const
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: "HTTP requests handled, by method, route name and status class.",
    labelNames,
    registers: [registry],
  })
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: "Time from request to response built, in seconds, by method, route name and status class.",
    labelNames,
    buckets: options.buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  app.use(function requestMetrics(c, next) {
    const started = process.hrtime.bigint()
    const record = () => {
      const labels = {
        method: c.req.method,
        route: routeLabel(c),
        status: `${Math.floor(c.status / 100)}xx`,
      }
      requests.inc(labels)
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9)
    }
    return next().then(record)
  } satisfies Middleware)
  const expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`)
  app.get(options.path ?? "/metrics", { name: "metrics" }, async function serveMetrics(c) {
    if (expected && !sameToken(c.req.header("authorization") ?? "", expected)) {
      throw opsErrors.METRICS_UNAUTHORIZED(undefined, {
        headers: { "www-authenticate": 'Bearer realm="metrics"' },
      })
    }
    return c.text(await registry.metrics(), 200, {
      "content-type": registry.contentType,
      "cache-control": "no-store",
    })
  })
  return registry
}
