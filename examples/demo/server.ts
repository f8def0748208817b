import { Redis } from "ioredis"
import { consoleTransport, createMailer } from "truss/mail"
import { redisBackplane } from "truss/realtime"
import { createApp } from "./app.js"
import { openDatabase } from "./database.js"
import { DEMO_DATABASE } from "./truss.config.js"

const debug = process.env.NODE_ENV !== "production"
const sessionSecret = process.env.SESSION_SECRET
if (!debug && !sessionSecret) {
  console.error("Set SESSION_SECRET (32+ random characters) to run the demo in production.")
  process.exit(1)
}
// SQLite file under examples/demo/data/ (git-ignored); tables are migrated on start.
const db = await openDatabase(process.env.DATABASE_URL ?? `sqlite:${DEMO_DATABASE}`)
const port = Number(process.env.PORT ?? 3000)
// Mailed links and passkeys need the address browsers use.
const origin = process.env.PUBLIC_URL ?? `http://localhost:${port}`
// In production the account mails go to stdout; set up smtpTransport() for real ones.
const mailer = debug
  ? undefined
  : createMailer({ transport: consoleTransport(), from: "demo@localhost" })
// With REDIS_URL, several demo processes share the chat room and its presence.
const backplane = process.env.REDIS_URL
  ? redisBackplane({ client: new Redis(process.env.REDIS_URL) })
  : undefined
const app = createApp({
  db,
  debug,
  logger: true,
  sessionSecret,
  origin,
  ...(mailer ? { mailer } : {}),
  ...(backplane ? { backplane } : {}),
})
const server = await app.listen({ port, host: process.env.HOST })
app.log.info(`Truss demo listening on ${server.url}`)
