/**
 * `truss/ops`: what operating an app needs. `health()` gives `/healthz` and `/readyz`
 * (with database and Redis checks); `metrics()` gives Prometheus request metrics at
 * `/metrics` with prom-client (pool gauges with `pools`); `tracing()` gives OpenTelemetry
 * server spans when a tracer provider is registered.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { connect } from "truss/orm"
 * import { databaseCheck, health, metrics } from "truss/ops"
 * const db = await connect("sqlite::memory:")
 * const app = new App()
 * metrics(app)
 * app.register(health({ checks: { database: databaseCheck(db) } }))
 * ```
 * @module
 */
export { opsErrors } from "./errors.js"
export {
  type CheckStatus,
  databaseCheck,
  type HealthOptions,
  health,
  type ReadinessCheck,
  redisCheck,
} from "./health.js"
export { type MetricsOptions, metrics, type PoolCounts, routeLabel } from "./metrics.js"
export { type TracingOptions, tracing, tracingEnabled } from "./tracing.js"
