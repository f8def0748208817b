/** Settings from the environment (`.env.example` lists them); read once, at startup. */
export const settings = {
  /** `sqlite:./app.db` on one machine; `postgres://…` or `mysql://…` when you scale out. */
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./app.db",
  production: process.env.NODE_ENV === "production",
  /** Bearer token Prometheus sends to /metrics; unset leaves /metrics open. */
  metricsToken: process.env.METRICS_TOKEN,
}
