import { createApp } from "./app.js"

const debug = process.env.NODE_ENV !== "production"
const app = createApp({ debug, logger: true })
const server = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST })
app.log.info(`Truss demo listening on ${server.url}`)
