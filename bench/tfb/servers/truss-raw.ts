/**
 * Truss raw: the Truss core with the `pg` driver directly (no ORM) and LiquidJS
 * directly (no `truss/templates`), like the Fastify and Express servers.
 * @module
 */
import type * as Core from "truss"
import { queryCount } from "../db.js"
import { MESSAGE, PLAINTEXT, port, ready } from "./common.js"
import { fortunesHtml, manyWorlds, oneWorld, updateWorlds } from "./pg-queries.js"

const entry = process.env.TRUSS_ENTRY
const { App } = (await import(entry ?? "truss")) as typeof Core

const app = new App()
app.use(async function serverHeader(c, next) {
  c.header("server", "truss")
  await next()
})
app.get("/json", () => ({ message: MESSAGE }))
app.get("/plaintext", () => PLAINTEXT)
app.get("/db", () => oneWorld())
app.get("/queries", (c) => manyWorlds(queryCount(c.req.query.get("queries") ?? undefined)))
app.get("/fortunes", async (c) => c.html(await fortunesHtml()))
app.get("/updates", (c) => updateWorlds(queryCount(c.req.query.get("queries") ?? undefined)))

const p = port()
await app.listen({ port: p, host: "127.0.0.1" })
ready("truss-raw", p)
