import { App } from "truss"
import { health } from "truss/ops"

const production = process.env.NODE_ENV === "production"

/**
 * The whole app. `npm run dev` serves it with reload on change, `npm test` runs it
 * in-process, `npm run build && npm start` serves the compiled JavaScript.
 */
export const app = new App({ debug: !production, logger: production })

app.get("/", { name: "home" }, () => ({ message: "Hello from __NAME__!" }))

app.get("/hello/:name", { name: "hello" }, (c) => ({ message: `Hello, ${c.params.name}!` }))

// GET /healthz and /readyz, for the Dockerfile's HEALTHCHECK and load balancers.
app.register(health())
