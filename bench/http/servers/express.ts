/**
 * Express 5 with its defaults (ETag, X-Powered-By) and plain `app.use()` middleware.
 * @module
 */
import express, { type Express, type RequestHandler } from "express"
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

function requestLog(): RequestHandler {
  const log = fileLogger("express")
  return function requestLog(req, res, next) {
    const started = performance.now()
    const id = requestId(req.headers["x-request-id"])
    res.setHeader("x-request-id", id)
    res.on("finish", () => {
      const ms = Math.round((performance.now() - started) * 100) / 100
      log.info(
        { reqId: id, method: req.method, path: req.path, status: res.statusCode, ms },
        `${req.method} ${req.path} ${res.statusCode} ${ms}ms`,
      )
    })
    next()
  }
}

function securityHeaders(): RequestHandler {
  return function securityHeaders(_req, res, next) {
    for (const [name, value] of SECURITY_HEADER_PAIRS) res.setHeader(name, value)
    next()
  }
}

function build(scenario: Scenario): Express {
  const app = express()
  if (scenario === "middleware") {
    app.use(requestLog(), securityHeaders())
    app.get("/json", (_req, res) => {
      res.json({ message: MESSAGE })
    })
  }
  if (scenario === "json") {
    app.get("/json", (_req, res) => {
      res.json({ message: MESSAGE })
    })
  }
  if (scenario === "plaintext") {
    app.get("/plaintext", (_req, res) => {
      res.type("text/plain").send(PLAINTEXT)
    })
  }
  if (scenario === "routes") {
    for (const [method, route] of GITHUB_ROUTES) {
      const name = lastParam(route)
      const verb = method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete"
      app[verb](route, (req, res) => {
        res
          .type("text/plain")
          .send(routeBody(route, name === undefined ? undefined : (req.params[name] as string)))
      })
    }
  }
  return app
}

const { scenario, port } = serverArgs()
const server = build(scenario).listen(port, "127.0.0.1", () => ready("express", scenario, port))
server.keepAliveTimeout = 72_000
