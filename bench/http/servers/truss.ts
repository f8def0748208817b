/**
 * Truss, run from source (`src/`, through tsx and the tsconfig `truss` path).
 * @module
 */
import { App, type Middleware } from "truss"
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

function build(scenario: Scenario): App {
  if (scenario === "middleware") {
    const app = new App({ logger: { destination: truncateLog("truss") } })
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
