import { mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"

const debug = process.env.NODE_ENV !== "production"
const sessionSecret = process.env.SESSION_SECRET
if (!debug && !sessionSecret) {
  console.error("Set SESSION_SECRET (32+ random characters) to run the demo in production.")
  process.exit(1)
}
// SQLite file under examples/demo/data/ (git-ignored); tables are migrated on start.
const dataDir = fileURLToPath(new URL("./data/", import.meta.url))
mkdirSync(dataDir, { recursive: true })
const { tasks } = await openDatabase(process.env.DATABASE_URL ?? `sqlite:${dataDir}demo.db`)
const app = createApp({ debug, logger: true, tasks, sessionSecret })
const server = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST })
app.log.info(`Truss demo listening on ${server.url}`)
