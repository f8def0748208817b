/**
 * Express 5 with `pg` and LiquidJS.
 * @module
 */
import express from "express"
import { queryCount } from "../db.js"
import { MESSAGE, PLAINTEXT, port, ready } from "./common.js"
import { fortunesHtml, manyWorlds, oneWorld, updateWorlds } from "./pg-queries.js"

const app = express()
app.disable("x-powered-by")
app.disable("etag")
app.use(function serverHeader(_req, res, next) {
  res.setHeader("server", "express")
  next()
})
const queries = (q: unknown) => queryCount(typeof q === "string" ? q : undefined)

app.get("/json", (_req, res) => {
  res.json({ message: MESSAGE })
})
app.get("/plaintext", (_req, res) => {
  res.type("text/plain").send(PLAINTEXT)
})
app.get("/db", async (_req, res) => {
  res.json(await oneWorld())
})
app.get("/queries", async (req, res) => {
  res.json(await manyWorlds(queries(req.query.queries)))
})
app.get("/fortunes", async (_req, res) => {
  res.type("text/html; charset=utf-8").send(await fortunesHtml())
})
app.get("/updates", async (req, res) => {
  res.json(await updateWorlds(queries(req.query.queries)))
})

const p = port()
app.listen(p, "127.0.0.1", () => ready("express", p))
