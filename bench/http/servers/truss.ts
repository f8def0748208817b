/**
 * Truss. With `TRUSS_ENTRY` (the runner sets it) the app comes from that compiled
 * `index.js` (tsc output, as published); without it, from source through tsx.
 * `BENCH_NAME` names its request log (the runner sets `truss-baseline` for a baseline).
 * @module
 */
import type { App as AppType, Middleware } from "truss"
import { GITHUB_ROUTES, lastParam, routeBody } from "../github-routes.js"
import {
  MESSAGE,
  PLAINTEXT,
  ready,
  type Scenario,
  SECURITY_HEADER_PAIRS,
  serverArgs,
  truncateLog,
} from "./common.js"

function securityHeaders(): Middleware {
  return async function securityHeaders(c, next) {
    for (const [name, value] of SECURITY_HEADER_PAIRS) c.header(name, value)
    await next()
  }
}

const entry = process.env.TRUSS_ENTRY
const { App } = (entry ? await import(entry) : await import("truss")) as typeof import("truss")

function build(scenario: Scenario): AppType {
  if (scenario === "middleware") {
    const app = new App({ logger: { destination: truncateLog(process.env.BENCH_NAME ?? "truss") } })
    app.use(securityHeaders())
    app.get("/json", () => ({ message: MESSAGE }))
    return app
  }
  const app = new App()
  if (scenario === "json") app.get("/json", () => ({ message: MESSAGE }))
  if (scenario === "plaintext") app.get("/plaintext", () => PLAINTEXT)
  if (scenario === "routes") {
    for (const [method, route] of GITHUB_ROUTES) {
      const name = lastParam(route)
      const verb = method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete"
      app
        .route(route)
        [verb]((c) => routeBody(route, name === undefined ? undefined : c.params[name]))
    }
  }
  return app
}

const { scenario, port } = serverArgs()
await build(scenario).listen({ port, host: "127.0.0.1" })
ready("truss", scenario, port)
