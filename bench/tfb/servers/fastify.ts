/**
 * Fastify 5 with `pg` and LiquidJS, written as Fastify's TFB entry is: response
 * schemas (fast-json-stringify) for the JSON tests, an onRequest hook for `Server`.
 * @module
 */
import Fastify from "fastify"
import { queryCount } from "../db.js"
import { MESSAGE, PLAINTEXT, port, ready } from "./common.js"
import { fortunesHtml, manyWorlds, oneWorld, updateWorlds } from "./pg-queries.js"

const world = {
  type: "object",
  properties: { id: { type: "integer" }, randomNumber: { type: "integer" } },
} as const
const worlds = { type: "array", items: world } as const
type Q = { Querystring: { queries?: string } }

const app = Fastify()
app.addHook("onRequest", function serverHeader(_req, reply, done) {
  reply.header("server", "fastify")
  done()
})
app.get(
  "/json",
  {
    schema: { response: { 200: { type: "object", properties: { message: { type: "string" } } } } },
  },
  async () => ({ message: MESSAGE }),
)
app.get("/plaintext", async (_req, reply) => reply.type("text/plain").send(PLAINTEXT))
app.get("/db", { schema: { response: { 200: world } } }, () => oneWorld())
app.get<Q>("/queries", { schema: { response: { 200: worlds } } }, (req) =>
  manyWorlds(queryCount(req.query.queries)),
)
app.get("/fortunes", async (_req, reply) =>
  reply.type("text/html; charset=utf-8").send(await fortunesHtml()),
)
app.get<Q>("/updates", { schema: { response: { 200: worlds } } }, (req) =>
  updateWorlds(queryCount(req.query.queries)),
)

const p = port()
await app.listen({ port: p, host: "127.0.0.1" })
ready("fastify", p)
