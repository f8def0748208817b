import { App, type TrussError } from "truss"
import { type Database, ormErrors } from "truss/orm"
import { docs } from "truss/schema"
import { cors } from "truss/security"
import { conduitAdmin } from "./admin.js"
import { articlesApi } from "./articles.js"
import { conduitKeys, tokenAuth, type Vars } from "./auth.js"
import { usersApi } from "./users.js"

/** Options of {@link createApp}. */
export interface ConduitOptions {
  /** A migrated database (`openDatabase()`). */
  db: Database
  /** Signs the JWTs: 32+ random characters, the same on every instance. */
  secret: string
  /** Checks every response against its schema (development). @default false */
  debug?: boolean
  logger?: boolean
}

/** The spec's error body, `{"errors": {"body": [...]}}`, for every error. */
function conduitError(err: TrussError): { status: number; body: string[] } {
  if (ormErrors.INTEGRITY.is(err) && err.extensions?.kind === "unique") {
    const column = String(err.extensions.column ?? "value")
    return { status: 422, body: [`${column} has already been taken`] }
  }
  const issues = err.extensions?.errors
  if (err.code === "TRUSS_ERR_VALIDATION" && Array.isArray(issues)) {
    const body = issues.map(
      (i: { path: string; message: string }) => `${i.path.split(".").pop() || "body"} ${i.message}`,
    )
    return { status: 422, body }
  }
  if (err.status >= 500 && !err.expose)
    return { status: err.status, body: ["Internal server error"] }
  return { status: err.status === 400 ? 422 : err.status, body: [err.message] }
}

/** The Conduit API under `/api`, its OpenAPI document at `/openapi.json`, docs at `/docs` and the admin at `/admin`. */
export async function createApp(options: ConduitOptions) {
  const keys = await conduitKeys(options.secret)
  const app = new App<Vars>({ debug: options.debug ?? false, logger: options.logger ?? false })
    .use(cors())
    .use(tokenAuth(keys))
    .onError((err, c) => {
      const { status, body } = conduitError(err)
      if (status >= 500) c.log.error({ err: err.cause ?? err, path: c.req.path }, err.message)
      return c.json({ errors: { body } }, status, err.headers)
    })
    .register(usersApi(options.db, keys))
    .register(articlesApi(options.db))
    .register(conduitAdmin(options.db, options.secret))
  docs(app, {
    enabled: true,
    exclude: (route) => route.path.startsWith("/admin"),
    info: {
      title: "RealWorld Conduit API",
      version: "1.1.0",
      description: "Conduit API documentation",
    },
    tags: ["Articles", "Comments", "Favorites", "Profile", "Tags", "User and Authentication"].map(
      (name) => ({ name }),
    ),
    components: {
      securitySchemes: { Token: { type: "apiKey", name: "Authorization", in: "header" } },
    },
  })
  return app
}
