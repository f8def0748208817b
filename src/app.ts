import { performance } from "node:perf_hooks"
import type { Logger } from "pino"
import type { Blueprint } from "./blueprint.js"
import { type BodyLimits, DEFAULT_LIMITS } from "./body/limits.js"
import { compose, type ErrorSink, type Handler, type Middleware } from "./compose.js"
import { type AppRuntime, Context, type RouteInfo, type Variables } from "./context.js"
import { errors, type TrussError } from "./errors.js"
import { type AppLogger, appLogger, type LoggerOption } from "./logging/logger.js"
import { echoRequestId, logRequest } from "./logging/request-log.js"
import type { TrussRequest } from "./request.js"
import { renderError, toTrussError } from "./response/error-response.js"
import { setResult } from "./response/result.js"
import { FindMyWayRouter } from "./router/find-my-way-router.js"
import {
  buildPath,
  buildQuery,
  expandOptional,
  malformedPath,
  type PathToken,
  parsePath,
  type UrlParams,
  type UrlQuery,
} from "./router/path.js"
import type { RouteOptions, WithBlueprint } from "./router/route-types.js"
import type { Router } from "./router/router.js"
import { type ErrorHandlerDef, METHODS, RECORDED, type RouteDef, Scope } from "./scope.js"
import { type ListenOptions, listen, type TrussServer } from "./server/listen.js"
import { webResponse } from "./server/to-response.js"
import { TrustProxy, type TrustProxyOption } from "./server/trust-proxy.js"
import { type FetchInfo, WebRequest } from "./server/web-request.js"
import { callerLocation } from "./util/caller-location.js"
import { withSchemas } from "./validation/validate.js"

/**
 * Options for {@link App}.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App({ debug: false, logger: true, trustProxy: 1, trailingSlash: "strict", bodyLimit: 256 * 1024 })
 * ```
 */
export interface AppOptions {
  /** Developer error pages and stack traces in problem+json. Never in production. @default false */
  debug?: boolean
  /** `true` logs one line per request; `false` silences everything. @default errors only */
  logger?: LoggerOption
  /** Which proxies to believe for `c.req.ip` and `c.req.protocol`. @default false */
  trustProxy?: TrustProxyOption
  /** `"redirect"` (308 to the other form), `"strict"` (404) or `"ignore"` (serve both). @default "redirect" */
  trailingSlash?: "redirect" | "strict" | "ignore"
  /** Largest JSON/text/urlencoded body in bytes. @default 1048576 */
  bodyLimit?: number
  /** Multipart limits. */
  multipart?: Partial<Omit<BodyLimits, "body">>
  /** Supplies the router; any implementation that passes the router conformance suite. */
  router?: () => Router<RouteEntry>
  /**
   * Hosts the app serves (Django's `ALLOWED_HOSTS`): a request whose Host (or trusted
   * X-Forwarded-Host), port removed, is not listed gets 400 `TRUSS_ERR_HOST_NOT_ALLOWED`.
   * `".example.com"` matches example.com and every subdomain; `"*"` matches all.
   * Set it in production: `truss check --deploy` warns (security.W008) when any host is served.
   * @default every host
   */
  allowedHosts?: readonly string[]
}

/** What the router stores for a route. @internal */
export interface RouteEntry {
  run: (c: Context) => void | Promise<void>
  info: RouteInfo
  limits: BodyLimits
}

/**
 * One registered route as `app.routeTable()` describes it. @internal
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App().get("/users/:id", { name: "user.show" }, (c) => c.params.id)
 * const [route] = app.routeTable()
 * route?.method // "GET"
 * ```
 */
export interface RouteDescription {
  /** Upper-case method, or `ALL`. */
  readonly method: string
  /** The full path, blueprint prefixes included, in Truss syntax (`/users/:id`). */
  readonly path: string
  /** The full route name, blueprint prefixes included. */
  readonly name: string | undefined
  /** The route's options as declared: schemas and OpenAPI fields. */
  readonly options: Readonly<RouteOptions>
  /** Names of the middleware that run before the handler, app-wide first (`anonymous` when unnamed). */
  readonly middleware: readonly string[]
  /** Where the route was declared, `file:line:column`. */
  readonly location: string
}

interface RouteRecord extends RouteDef {
  name: string | undefined
  scopeMiddleware: Middleware[]
  scopeErrors: ErrorHandlerDef[]
}

/** A registered route with the path shapes it claims (param names erased). */
interface StoredRoute extends RouteRecord {
  shapes: string[]
}

/**
 * The application: routes, middleware, blueprints, error handlers, and the servers
 * that run them (`listen()` on node:http, `fetch()` for serverless hosts).
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App()
 * app.get("/", () => ({ message: "Hello, World!" }))
 * app.get("/users/:id", (c) => ({ id: c.params.id }))
 * // await app.listen({ port: 3000 })
 * ```
 */
export class App<V extends object = Variables> extends Scope<V> {
  /** Whether debug pages are on. */
  readonly debug: boolean
  readonly #options: AppOptions
  readonly #logRequests: boolean
  readonly #logger: AppLogger
  readonly #trust: TrustProxy | undefined
  readonly #hosts: AllowedHosts | undefined
  readonly #limits: BodyLimits
  readonly #records: StoredRoute[] = []
  readonly #keys = new Map<string, string>()
  readonly #names = new Map<string, { tokens: PathToken[]; location: string }>()
  readonly #blueprints = new Map<Blueprint<V, string>, string>()
  readonly #closeHooks: (() => unknown)[] = []
  readonly #servers = new Set<TrussServer>()
  readonly #runtime: AppRuntime
  #router: Router<RouteEntry> | undefined
  #fallback: ((c: Context) => void | Promise<void>) | undefined
  #notFound: Handler | undefined

  constructor(options: AppOptions = {}) {
    super()
    this.#options = options
    this.debug = options.debug ?? false
    const logger = appLogger(options.logger, this.debug)
    this.#logger = logger
    this.#logRequests = logger.requests
    this.#trust = options.trustProxy ? new TrustProxy(options.trustProxy) : undefined
    this.#hosts = allowedHosts(options.allowedHosts)
    this.#limits = limitsOf(DEFAULT_LIMITS, options.bodyLimit, options.multipart)
    this.#runtime = {
      debug: this.debug,
      get log() {
        return logger.get()
      },
      requestLine: logger.requestLine,
      url: (n, p, o) => this.url(n, p, o),
    }
  }

  /** The app's pino logger (built on first use when the app logs only errors). */
  get log(): Logger {
    return this.#logger.get()
  }

  /** True once the app has handled a request; setup methods then throw. */
  get started(): boolean {
    return this.#router !== undefined
  }

  /** Registers a blueprint: its routes, middleware, hooks and error handlers. */
  register<B extends Blueprint<V, string>>(blueprint: B): WithBlueprint<this, B> {
    this.checkSetup("register")
    this.#mount(blueprint, "", undefined, [], [], callerLocation())
    return this as WithBlueprint<this, B>
  }

  /**
   * Every registered route with its full path, name and options (schemas included),
   * in registration order: what `truss/schema` builds OpenAPI from. @internal
   * @example
   * ```ts
   * import { App } from "truss"
   * const app = new App().get("/users/:id", { name: "user.show" }, (c) => c.params.id)
   * app.routeTable()[0]?.path // "/users/:id"
   * ```
   */
  routeTable(): readonly RouteDescription[] {
    return Object.freeze(
      this.#records.map((r) =>
        Object.freeze({
          method: r.method,
          path: r.path,
          name: r.name,
          options: r.options,
          middleware: Object.freeze(
            [...this[RECORDED].middleware, ...r.scopeMiddleware, ...r.middleware].map(
              (m) => m.name || "anonymous",
            ),
          ),
          location: r.location,
        }),
      ),
    )
  }

  /** Replaces the 404 handler used when no route matches. */
  notFound(handler: Handler<V>): this {
    this.checkSetup("notFound")
    this.#notFound = handler as Handler
    return this
  }

  /** Runs when the app closes (after servers stop): close pools and clients here. */
  onClose(hook: () => unknown): this {
    this.#closeHooks.push(hook)
    return this
  }

  /**
   * Builds the path of a named route, percent-encoding params, like Flask's `url_for`.
   * @throws TRUSS_ERR_ROUTE_NAME_UNKNOWN, TRUSS_ERR_URL_PARAM_MISSING, TRUSS_ERR_URL_PARAM_INVALID
   */
  url(name: string, params?: UrlParams, options: { query?: UrlQuery } = {}): string {
    const route = this.#names.get(name)
    if (!route) {
      const known = [...this.#names.keys()].sort().join(", ") || "(no named routes)"
      throw errors.ROUTE_NAME_UNKNOWN({ name, known })
    }
    return buildPath(name, route.tokens, params) + buildQuery(options.query)
  }

  /** Handles a web `Request`: the entry point for serverless and edge hosts. */
  async fetch(request: Request, info?: FetchInfo): Promise<Response> {
    const req = new WebRequest(request, info)
    if (!this.#logRequests) return webResponse(await this.handle(req), req.method === "HEAD")
    const started = performance.now()
    const c = await this.handle(req)
    echoRequestId(c)
    const res = webResponse(c, req.method === "HEAD")
    logRequest(c, started)
    return res
  }

  /**
   * Runs a request in-process, with no socket: for tests.
   * @example
   * ```ts
   * import { App } from "truss"
   * const app = new App().get("/", () => "hi")
   * const res = await app.request("/")
   * await res.text() // "hi"
   * ```
   */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    // Same peer whatever the input, so c.req.ip and trustProxy behave alike in tests.
    const local = { remoteAddress: "127.0.0.1" }
    if (input instanceof Request) return this.fetch(init ? new Request(input, init) : input, local)
    const url =
      typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input
    return this.fetch(new Request(url, init), local)
  }

  /** Serves the app on node:http (or node:https) with safe timeouts. */
  async listen(options: ListenOptions = {}): Promise<TrussServer> {
    this.#freeze()
    const server = await listen(this, options, this.#logRequests)
    this.#servers.add(server)
    return server
  }

  /** Graceful shutdown: stops accepting, lets in-flight requests finish, runs onClose hooks. */
  async close(): Promise<void> {
    const servers = [...this.#servers]
    this.#servers.clear()
    await Promise.all(servers.map((s) => s.close()))
    for (const hook of this.#closeHooks.splice(0)) await hook()
    this.#logger.built()?.flush()
  }

  /** Runs the request through routing and middleware. @internal */
  handle(req: TrussRequest): Context | Promise<Context> {
    const router = this.#router ?? this.#freeze()
    req.trust = this.#trust
    if (this.#hosts !== undefined && !this.#hosts.allows(req.host)) return this.#refuseHost(req)
    let match = router.match(req.method, req.path)
    if (match === null && this.#options.trailingSlash === "ignore") {
      const other = otherSlash(req.path)
      if (other !== undefined) match = router.match(req.method, other)
    }
    let c: Context
    let done: void | Promise<void>
    if (match !== null) {
      const entry = match.value
      c = new Context(req, this.#runtime, match.params)
      c.route = entry.info
      req.limits = entry.limits
      done = entry.run(c)
    } else {
      c = new Context(req, this.#runtime, {})
      req.limits = this.#limits
      done = this.#fallback!(c)
    }
    return done === undefined ? c : done.then(() => c)
  }

  #refuseHost(req: TrussRequest): Context {
    const c = new Context(req, this.#runtime, {})
    req.limits = this.#limits
    renderError(c, errors.HOST_NOT_ALLOWED({ host: req.host }))
    return c
  }

  /** Whether request lines are logged. @internal */
  get logsRequests(): boolean {
    return this.#logRequests
  }

  protected checkSetup(method: string): void {
    if (this.#router !== undefined) throw errors.SETUP_AFTER_START({ method })
  }

  protected addRoute(def: RouteDef): void {
    this.#add({ ...def, name: def.options.name, scopeMiddleware: [], scopeErrors: [] })
  }

  #add(record: RouteRecord): void {
    const tokens = parsePath(record.path)
    // `/users/:id?` also claims `/users`: check both forms against earlier routes.
    const shapes = expandOptional(tokens).map((variant) =>
      variant
        .map((t) =>
          t.kind === "param"
            ? `:${t.pattern?.source ?? ""}`
            : t.kind === "wildcard"
              ? "*"
              : t.value,
        )
        .join(""),
    )
    const methods = record.method === "ALL" ? [...METHODS, "HEAD"] : [record.method]
    for (const method of methods) {
      for (const shape of shapes) {
        const key = `${method} ${shape}`
        const first = this.#keys.get(key)
        if (first)
          throw errors.ROUTE_CONFLICT({
            route: `${method} ${record.path}`,
            first,
            second: record.location,
          })
        this.#keys.set(key, record.location)
      }
    }
    if (record.name !== undefined) {
      const first = this.#names.get(record.name)
      if (first)
        throw errors.ROUTE_NAME_CONFLICT({
          name: record.name,
          first: first.location,
          second: record.location,
        })
      this.#names.set(record.name, { tokens, location: record.location })
    }
    this.#records.push({ ...record, shapes })
  }

  #mount(
    bp: Blueprint<V, string>,
    prefix: string,
    names: string | undefined,
    middleware: Middleware[],
    handlers: ErrorHandlerDef[],
    location: string,
  ): void {
    const first = this.#blueprints.get(bp) ?? bp.registeredAt
    if (first) throw errors.BLUEPRINT_REGISTERED_TWICE({ name: bp.label, first, second: location })
    this.#blueprints.set(bp, location)
    bp.registeredAt = location
    const path = prefix + bp.prefix
    const name =
      bp.name === undefined ? names : names === undefined ? bp.name : `${names}.${bp.name}`
    const scopeMiddleware = [...middleware, ...bp[RECORDED].middleware]
    const scopeErrors = [...bp[RECORDED].errorHandlers, ...handlers]
    for (const def of bp[RECORDED].routes) {
      const own = def.options.name
      this.#add({
        ...def,
        path: path + def.path,
        name: own === undefined ? undefined : name === undefined ? own : `${name}.${own}`,
        scopeMiddleware,
        scopeErrors,
      })
    }
    for (const child of bp.children)
      this.#mount(child.blueprint, path, name, scopeMiddleware, scopeErrors, child.location)
  }

  #freeze(): Router<RouteEntry> {
    if (this.#router) return this.#router
    const router = this.#options.router?.() ?? new FindMyWayRouter<RouteEntry>()
    const appErrors = this[RECORDED].errorHandlers
    // A HEAD route of any param naming (`/x/:a` vs `/x/:b`) replaces the automatic one.
    const explicitHead = new Set(
      this.#records
        .filter((r) => r.method === "HEAD" || r.method === "ALL")
        .flatMap((r) => r.shapes),
    )
    for (const r of this.#records) {
      const entry: RouteEntry = {
        run: compose(
          [...this[RECORDED].middleware, ...r.scopeMiddleware, ...r.middleware],
          withSchemas(`${r.method} ${r.path}`, r.options, r.handler, this.debug),
          this.#errorSink([...r.scopeErrors, ...appErrors]),
        ),
        info: { method: r.method, path: r.path, name: r.name, options: r.options },
        limits: limitsOf(this.#limits, r.options.bodyLimit, r.options.multipart),
      }
      const methods = r.method === "ALL" ? [...METHODS, "HEAD"] : [r.method]
      if (r.method === "GET" && !r.shapes.some((shape) => explicitHead.has(shape))) {
        methods.push("HEAD")
      }
      for (const m of methods) router.add(m, r.path, entry)
    }
    this.#fallback = compose(
      this[RECORDED].middleware,
      (c) => this.#unmatched(c, router),
      this.#errorSink(appErrors),
    )
    this.#router = router
    return router
  }

  #unmatched(c: Context, router: Router<RouteEntry>): unknown {
    const { method, path, search } = c.req
    // The router cannot decode such a path, so it matched nothing: a bad request, not a 404.
    if (malformedPath(path)) throw errors.MALFORMED_PATH({ path })
    if ((this.#options.trailingSlash ?? "redirect") === "redirect") {
      const other = otherSlash(path)
      if (other !== undefined && router.match(method, other) !== null) {
        return c.redirect(`${other}${search ? `?${search}` : ""}`, 308)
      }
    }
    const allowed = router.allowed(path)
    if (allowed.length > 0) {
      const allow = allowed.join(", ")
      if (method === "OPTIONS") {
        c.header("allow", allow)
        c.status = 204
        c.body = null
        return c
      }
      throw errors.METHOD_NOT_ALLOWED({ method, allow }, { headers: { allow } })
    }
    if (this.#notFound) return this.#notFound(c)
    throw errors.NOT_FOUND({ method, path })
  }

  #errorSink(handlers: ErrorHandlerDef[]): ErrorSink {
    return async function handleError(err, c) {
      c.error = err
      const error = toTrussError(err)
      for (const h of handlers) {
        if (!matches(h, err, error)) continue
        try {
          const arg = typeof h.match === "function" && err instanceof h.match ? err : error
          const result = await h.fn(arg as TrussError, c)
          if (result !== undefined) return setResult(c, result)
        } catch (again) {
          return renderError(c, toTrussError(again))
        }
      }
      renderError(c, error)
    }
  }
}

/**
 * The path with its trailing slash toggled; never an open-redirect target: browsers
 * read `//host` and `/\host` as another host.
 */
function otherSlash(path: string): string | undefined {
  if (path.length <= 1) return undefined
  const second = path[1]
  if (second === "/" || second === "\\") return undefined
  return path.endsWith("/") ? path.slice(0, -1) : `${path}/`
}

/** The `allowedHosts` list as one Set lookup per request (suffix entries walk the labels). */
interface AllowedHosts {
  allows(host: string): boolean
}

function allowedHosts(list: readonly string[] | undefined): AllowedHosts | undefined {
  if (list === undefined || list.includes("*")) return undefined
  const exact = new Set<string>()
  const suffixes = new Set<string>()
  for (const h of list) {
    const host = h.toLowerCase()
    if (host.startsWith(".")) {
      suffixes.add(host)
      exact.add(host.slice(1))
    } else exact.add(host)
  }
  return {
    allows(raw) {
      const host = hostName(raw)
      if (exact.has(host)) return true
      if (suffixes.size === 0) return false
      for (let i = host.indexOf("."); i !== -1; i = host.indexOf(".", i + 1)) {
        if (suffixes.has(host.slice(i))) return true
      }
      return false
    },
  }
}

/** The host without its port, lower-cased; `[::1]:80` gives `[::1]`. */
function hostName(raw: string): string {
  const host = raw.toLowerCase()
  const colon = host.lastIndexOf(":")
  if (colon === -1 || host.endsWith("]")) return host
  return host.slice(0, colon)
}

function matches(h: ErrorHandlerDef, raw: unknown, error: TrussError): boolean {
  if (h.match === undefined) return true
  if (typeof h.match === "number") return error.status === h.match
  return raw instanceof h.match || error instanceof h.match
}

function limitsOf(
  base: BodyLimits,
  body: number | undefined,
  multipart: Partial<BodyLimits> | undefined,
): BodyLimits {
  if (body === undefined && multipart === undefined) return base
  return Object.freeze({ ...base, ...multipart, body: body ?? base.body })
}
