import { randomBytes } from "node:crypto"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"

const production = process.env.NODE_ENV === "production"
if (production && !process.env.JWT_SECRET) {
  console.error("Set JWT_SECRET (32+ random characters) to run Conduit in production.")
  process.exit(1)
}
// Without JWT_SECRET (development) tokens are signed with a per-process secret.
const secret = process.env.JWT_SECRET ?? randomBytes(32).toString("hex")
const db = await openDatabase(process.env.DATABASE_URL)
const app = await createApp({ db, secret, debug: !production, logger: true })
const server = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST })
app.log.info(`Conduit API on ${server.url}/api, docs on ${server.url}/docs`)
