import type { Handler, Middleware } from "./compose.js"
import type { Context, Variables } from "./context.js"
import type { TrussError } from "./errors.js"
import type { PathParams } from "./router/path-params.js"
import type { InputsOf, RouteOptions, TypedHandler, WithRoute } from "./router/route-types.js"
import { callerLocation } from "./util/caller-location.js"

export type { RouteOptions }

/** A route recorded by an app or blueprint. @internal */
export interface RouteDef {
  method: string
  path: string
  options: RouteOptions
  middleware: Middleware[]
  handler: Handler
  location: string
}

/**
 * Handles an error; return a value to answer, or `undefined` to pass it on.
 * @example
 * ```ts
 * import { App, type ErrorHandler } from "truss"
 * const asJson: ErrorHandler = (err, c) => c.json({ error: err.code }, err.status)
 * new App().onError(asJson)
 * ```
 */
export type ErrorHandler<V extends object = Variables> = (err: TrussError, c: Context<V>) => unknown

/**
 * What an error handler applies to: every error, one status, or an error class.
 * @example
 * ```ts
 * import { App, type ErrorMatch } from "truss"
 * const match: ErrorMatch = 404
 * new App().onError(match, (_err, c) => c.text("nothing here", 404))
 * ```
 */
export type ErrorMatch = number | (abstract new (...args: never[]) => Error)

/** @internal */
export interface ErrorHandlerDef {
  match: ErrorMatch | undefined
  fn: ErrorHandler
}

/** The HTTP methods `all()` registers. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const

/**
 * The overloads shared by `get`, `post` and the other route methods. Each returns the
 * scope with the route added to its type, so `truss/client` can read the routes.
 */
export interface RouteMethod<V extends object, Self, M extends string = string> {
  <Path extends string, R>(
    path: Path,
    handler: TypedHandler<V, PathParams<Path>, object, R>,
  ): WithRoute<Self, M, Path, object, R>
  <Path extends string, const O extends RouteOptions, R>(
    path: Path,
    options: O,
    ...rest: [...Middleware<V>[], TypedHandler<V, PathParams<Path>, InputsOf<O>, R>]
  ): WithRoute<Self, M, Path, O, R>
  <Path extends string, R>(
    path: Path,
    ...rest: [...Middleware<V>[], TypedHandler<V, PathParams<Path>, object, R>]
  ): WithRoute<Self, M, Path, object, R>
}

/** The overloads of a `route(path)` chain's methods. */
export interface ChainMethod<V extends object, Path extends string> {
  (handler: Handler<V, PathParams<Path>>): RouteChain<V, Path>
  <const O extends RouteOptions>(
    options: O,
    ...rest: [...Middleware<V>[], Handler<V, PathParams<Path>, InputsOf<O>>]
  ): RouteChain<V, Path>
  (...rest: [...Middleware<V>[], Handler<V, PathParams<Path>>]): RouteChain<V, Path>
}

/**
 * Returned by `app.route(path)`: declare several methods on one path.
 * @example
 * ```ts
 * import { App } from "truss"
 * new App()
 *   .route("/items/:id")
 *   .get((c) => ({ id: c.params.id }))
 *   .delete((c) => c.json(null, 204))
 * ```
 */
export type RouteChain<V extends object, Path extends string> = {
  [M in "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "all"]: ChainMethod<
    V,
    Path
  >
}

/** What an app or blueprint has recorded. @internal */
export interface Recorded {
  readonly routes: RouteDef[]
  readonly middleware: Middleware[]
  readonly errorHandlers: ErrorHandlerDef[]
}

/** Where a scope keeps what it recorded; not exported publicly, so users cannot write it. @internal */
export const RECORDED: unique symbol = Symbol("truss.recorded")

/**
 * What `App` and `Blueprint` share: route registration, middleware, hooks and error
 * handlers. An app applies them at once; a blueprint records them for `register()`.
 */
export abstract class Scope<V extends object = Variables> {
  /** What setup recorded, read by `App` when it builds or registers. @internal */
  readonly [RECORDED]: Recorded = { routes: [], middleware: [], errorHandlers: [] }
  /** The routes' types, for `truss/client`; never set at runtime. */
  declare readonly "~routes"?: unknown

  /** Adds a GET route (HEAD is answered automatically). */
  readonly get: RouteMethod<V, this, "GET"> = this.#method("GET")
  /** Adds a POST route. */
  readonly post: RouteMethod<V, this, "POST"> = this.#method("POST")
  /** Adds a PUT route. */
  readonly put: RouteMethod<V, this, "PUT"> = this.#method("PUT")
  /** Adds a PATCH route. */
  readonly patch: RouteMethod<V, this, "PATCH"> = this.#method("PATCH")
  /** Adds a DELETE route. */
  readonly delete: RouteMethod<V, this, "DELETE"> = this.#method("DELETE")
  /** Adds a HEAD route (overrides the automatic one). */
  readonly head: RouteMethod<V, this, "HEAD"> = this.#method("HEAD")
  /** Adds an OPTIONS route (overrides the automatic one). */
  readonly options: RouteMethod<V, this, "OPTIONS"> = this.#method("OPTIONS")
  /** Adds a route for every method. */
  readonly all: RouteMethod<V, this, "ALL"> = this.#method("ALL")

  /** Throws when setup is no longer allowed. @internal */
  protected abstract checkSetup(method: string): void
  /** Records one route. @internal */
  protected abstract addRoute(def: RouteDef): void

  /** Declares several methods on one path: `app.route("/items").get(list).post(create)`. */
  route<Path extends string>(path: Path): RouteChain<V, Path> {
    const chain = {} as Record<string, unknown>
    for (const m of ["get", "post", "put", "patch", "delete", "head", "options", "all"] as const) {
      const add = this[m] as (...args: unknown[]) => unknown
      chain[m] = (...args: unknown[]) => {
        add.call(this, path, ...args)
        return chain
      }
    }
    return chain as RouteChain<V, Path>
  }

  /** Adds middleware that runs for every route of this app or blueprint, in order. */
  use(...middleware: Middleware<V>[]): this {
    this.checkSetup("use")
    this[RECORDED].middleware.push(...(middleware as Middleware[]))
    return this
  }

  /** Runs before the handler (Flask's `before_request`); return a value to answer early. */
  onRequest(hook: (c: Context<V>) => unknown): this {
    this.checkSetup("onRequest")
    const name = `onRequest(${hook.name || "anonymous"})`
    const mw = {
      async [name](c: Context<V>, next: () => Promise<void>) {
        const early = await hook(c)
        if (early !== undefined) return early
        await next()
      },
    }[name]!
    this[RECORDED].middleware.push(mw as Middleware)
    return this
  }

  /** Runs after the response is built, errors included (Flask's `after_request`). */
  onResponse(hook: (c: Context<V>) => unknown): this {
    this.checkSetup("onResponse")
    const name = `onResponse(${hook.name || "anonymous"})`
    const mw = {
      async [name](c: Context<V>, next: () => Promise<void>) {
        await next()
        await hook(c)
      },
    }[name]!
    this[RECORDED].middleware.push(mw as Middleware)
    return this
  }

  /**
   * Handles errors from this scope's routes. With a status or an error class first,
   * only matching errors reach it. Return `undefined` to pass the error on.
   */
  onError(handler: ErrorHandler<V>): this
  onError(status: number, handler: ErrorHandler<V>): this
  onError<E extends Error>(
    type: abstract new (...args: never[]) => E,
    handler: (err: E, c: Context<V>) => unknown,
  ): this
  onError(a: ErrorMatch | ErrorHandler<V>, b?: (err: never, c: Context<V>) => unknown): this {
    this.checkSetup("onError")
    const def: ErrorHandlerDef =
      b === undefined
        ? { match: undefined, fn: a as ErrorHandler }
        : { match: a as ErrorMatch, fn: b as ErrorHandler }
    this[RECORDED].errorHandlers.push(def)
    return this
  }

  #method<M extends string>(method: M): RouteMethod<V, this, M> {
    const scope = this
    return function route(path: string, ...args: unknown[]) {
      scope.checkSetup(method.toLowerCase())
      const options =
        typeof args[0] === "object" && args[0] !== null ? (args.shift() as RouteOptions) : {}
      const handler = args.pop() as Handler | undefined
      if (typeof handler !== "function" || args.some((a) => typeof a !== "function")) {
        throw new TypeError(`${method.toLowerCase()}("${path}") needs a handler function last`)
      }
      scope.addRoute({
        method,
        path,
        options,
        middleware: args as Middleware[],
        handler,
        location: callerLocation(),
      })
      return scope
    } as RouteMethod<V, this, M>
  }
}
