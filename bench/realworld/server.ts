/**
 * The Conduit app in production mode for the benchmark, as its own process: counts the
 * requests it receives and the SQL statements it runs, and reports both over IPC.
 * Environment: DATABASE_URL (migrated and seeded), PORT, JWT_SECRET, and PIPELINE (n > 0:
 * `connect(url, { pipeline: n, prepare: true })`).
 * @module
 */
import { createApp } from "../../examples/realworld/app.js"
import { connect } from "../../src/orm/index.js"

let queries = 0
let requests = 0
const db = await connect(process.env.DATABASE_URL ?? "", {
  poolSize: 10,
  ...(Number(process.env.PIPELINE) > 0
    ? { pipeline: Number(process.env.PIPELINE), prepare: true }
    : {}),
  onQuery: () => {
    queries++
  },
})
const app = await createApp({ db, secret: process.env.JWT_SECRET ?? "", debug: false })
const server = await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" })
server.server.on("request", () => {
  requests++
})
process.on("message", (m) => {
  if (m === "counts") process.send?.({ queries, requests })
  if (m === "stop") void db.close().then(() => process.exit(0))
})
process.send?.({ ready: true })
