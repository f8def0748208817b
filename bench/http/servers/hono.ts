/**
 * Hono 4 on @hono/node-server, with its default router (SmartRouter) and
 * `app.use()` middleware for the middleware scenario.
 * @module
 */
import { serve } from "@hono/node-server"
import { Hono, type MiddlewareHandler } from "hono"
import { GITHUB_ROUTES, lastParam, routeBody } from "../github-routes.js"
import {
  fileLogger,
  MESSAGE,
  PLAINTEXT,
  ready,
  requestId,
  type Scenario,
  SECURITY_HEADER_PAIRS,
  serverArgs,
} from "./common.js"

function requestLog(): MiddlewareHandler {
  const log = fileLogger("hono")
  return async function requestLog(c, next) {
    const started = performance.now()
    const id = requestId(c.req.header("x-request-id"))
    await next()
    c.header("x-request-id", id)
    const ms = Math.round((performance.now() - started) * 100) / 100
    const { method, path } = c.req
    const status = c.res.status
    log.info({ reqId: id, method, path, status, ms }, `${method} ${path} ${status} ${ms}ms`)
  }
}

function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    for (const [name, value] of SECURITY_HEADER_PAIRS) c.header(name, value)
  }
}

function build(scenario: Scenario): Hono {
  const app = new Hono()
  if (scenario === "middleware") {
    app.use(requestLog(), securityHeaders())
    app.get("/json", (c) => c.json({ message: MESSAGE }))
  }
  if (scenario === "json") app.get("/json", (c) => c.json({ message: MESSAGE }))
  if (scenario === "plaintext") app.get("/plaintext", (c) => c.text(PLAINTEXT))
  if (scenario === "routes") {
    for (const [method, route] of GITHUB_ROUTES) {
      const name = lastParam(route)
      app.on(method, route, (c) =>
        c.text(routeBody(route, name === undefined ? undefined : c.req.param(name))),
      )
    }
  }
  return app
}

const { scenario, port } = serverArgs()
const app = build(scenario)
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => ready("hono", scenario, port))
