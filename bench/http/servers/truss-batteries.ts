/**
 * Truss with the web batteries of issue 5 on: sessions (signed-cookie store), CSRF,
 * security headers (CSP with a per-request nonce) and the request log to a file.
 * The bar: ≥ 0.75× raw node:http on the hello JSON route.
 *
 * It answers every scenario so the runner can verify it like the others; the
 * `middleware` scenario's headers are configured to match SECURITY_HEADERS exactly.
 * Run: `npm run bench -- http --only node-http,truss,truss-batteries --scenario json`.
 * @module
 */
import { dirname, join } from "node:path"
import type { App as AppType } from "truss"
import { GITHUB_ROUTES, lastParam, routeBody } from "../github-routes.js"
import { MESSAGE, PLAINTEXT, ready, type Scenario, serverArgs, truncateLog } from "./common.js"

// Like servers/truss.ts: with TRUSS_ENTRY (a compiled index.js) the batteries come from
// the same build; without it, from source through tsx.
const entry = process.env.TRUSS_ENTRY
const from = (sub: string) => (entry ? join(dirname(entry), sub, "index.js") : `truss/${sub}`)
const { App } = (entry ? await import(entry) : await import("truss")) as typeof import("truss")
const { csrf, secureHeaders } = (await import(from("security"))) as typeof import("truss/security")
const { sessions } = (await import(from("sessions"))) as typeof import("truss/sessions")

const SECRET = "bench-secret-bench-secret-bench-secret-00"

// TRUSS_BATTERIES=log,headers,sessions,csrf (the default: all) picks which are on, to
// measure each one's cost; `noop` adds an empty middleware as a baseline.
const on = new Set((process.env.TRUSS_BATTERIES ?? "log,headers,sessions,csrf").split(","))

function build(scenario: Scenario): AppType {
  const app = new App(
    on.has("log") ? { logger: { destination: truncateLog("truss-batteries") } } : {},
  )
  if (on.has("noop")) {
    // The cost of having any middleware at all, to tell it apart from each battery's own.
    app.use(async function noop(_c, next) {
      await next()
    })
  }
  if (!on.has("headers")) {
    // no security headers
  } else if (scenario === "middleware") {
    // The shared scenario sends HSTS on plain HTTP too; secureHeaders() only does on HTTPS.
    app.use(
      secureHeaders({
        contentSecurityPolicy: {
          directives: {
            "base-uri": false,
            "form-action": false,
            "object-src": false,
            "img-src": false,
            "script-src": false,
            "style-src": false,
          },
        },
        referrerPolicy: "no-referrer",
        permissionsPolicy: false,
        // The shared scenario sends its six headers on every response, pages or not.
        dataResponses: "full",
      }),
      async function hsts(c, next) {
        c.header("strict-transport-security", "max-age=31536000; includeSubDomains")
        await next()
      },
    )
  } else {
    app.use(secureHeaders())
  }
  if (on.has("sessions")) app.use(sessions({ secret: SECRET }))
  if (on.has("csrf")) app.use(csrf())
  if (scenario === "json" || scenario === "middleware") {
    app.get("/json", () => ({ message: MESSAGE }))
  }
  if (scenario === "plaintext") app.get("/plaintext", () => PLAINTEXT)
  if (scenario === "routes") {
    for (const [method, route] of GITHUB_ROUTES) {
      const name = lastParam(route)
      const verb = method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete"
      // The load sends no token: these routes measure routing, not CSRF refusals.
      app
        .route(route)
        [verb]({ csrf: false }, (c) =>
          routeBody(route, name === undefined ? undefined : c.params[name]),
        )
    }
  }
  return app
}

const { scenario, port } = serverArgs()
await build(scenario).listen({ port, host: "127.0.0.1" })
ready("truss-batteries", scenario, port)
