/**
 * Fastify 5, written the way Fastify's own benchmarks are: a response schema for JSON
 * (fast-json-stringify), hooks for the middleware scenario.
 * @module
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  type RouteShorthandOptions,
} from "fastify"
import { GITHUB_ROUTES, lastParam, routeBody } from "../github-routes.js"
import {
  fileLogger,
  MESSAGE,
  PLAINTEXT,
  ready,
  requestId,
  type Scenario,
  SECURITY_HEADERS,
  serverArgs,
} from "./common.js"

const jsonSchema: RouteShorthandOptions = {
  schema: {
    response: {
      200: { type: "object", properties: { message: { type: "string" } } },
    },
  },
}

/** One line per request, when it completes (Fastify logs two by default). */
class OneLineLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime * 100) / 100
    const path = request.url.split("?")[0]
    request.log.info(
      { method: request.method, path, status: reply.statusCode, ms },
      `${request.method} ${path} ${reply.statusCode} ${ms}ms`,
    )
  }
}

function build(scenario: Scenario): FastifyInstance {
  if (scenario === "middleware") {
    const app = Fastify({
      loggerInstance: fileLogger("fastify") as FastifyBaseLogger,
      logController: new OneLineLog(),
      genReqId: (req) => requestId(req.headers["x-request-id"]),
    })
    app.addHook("onRequest", function securityHeaders(request, reply, done) {
      reply.headers(SECURITY_HEADERS)
      reply.header("x-request-id", request.id)
      done()
    })
    app.get("/json", jsonSchema, async () => ({ message: MESSAGE }))
    return app
  }
  const app = Fastify()
  if (scenario === "json") app.get("/json", jsonSchema, async () => ({ message: MESSAGE }))
  if (scenario === "plaintext") app.get("/plaintext", async () => PLAINTEXT)
  if (scenario === "routes") {
    for (const [method, route] of GITHUB_ROUTES) {
      const name = lastParam(route)
      app.route({
        method,
        url: route,
        handler: async (request) =>
          routeBody(
            route,
            name === undefined ? undefined : (request.params as Record<string, string>)[name],
          ),
      })
    }
  }
  return app
}

const { scenario, port } = serverArgs()
const app = build(scenario)
await app.listen({ port, host: "127.0.0.1" })
ready("fastify", scenario, port)
