/**
 * The Conduit app in production mode for the benchmark, as its own process: counts
 * the SQL statements it runs and reports the count when the parent asks over IPC.
 * Environment: DATABASE_URL (migrated and seeded), PORT, JWT_SECRET.
 * @module
 */
import { createApp } from "../../examples/realworld/app.js"
import { connect } from "../../src/orm/index.js"

let queries = 0
const db = await connect(process.env.DATABASE_URL ?? "", {
  poolSize: Number(process.env.POOL_SIZE ?? 10),
  onQuery: () => {
    queries++
  },
})
const app = await createApp({ db, secret: process.env.JWT_SECRET ?? "", debug: false })
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" })
process.on("message", (m) => {
  if (m === "queries") process.send?.({ queries })
  if (m === "stop") void db.close().then(() => process.exit(0))
})
process.send?.({ ready: true })
