import type { Variables } from "./context.js"
import { errors } from "./errors.js"
import type { WithBlueprint } from "./router/route-types.js"
import { RECORDED, type RouteDef, Scope } from "./scope.js"
import { callerLocation } from "./util/caller-location.js"

/**
 * Options for {@link Blueprint}.
 * @example
 * ```ts
 * import { Blueprint } from "truss"
 * const admin = new Blueprint({ prefix: "/admin", name: "admin" })
 * ```
 */
export interface BlueprintOptions<Prefix extends string = string> {
  /** Path prefix for every route, e.g. `/api`. @default "" */
  prefix?: Prefix
  /** Prefix for route names: route `users.show` becomes `api.users.show`. */
  name?: string
}

/**
 * A group of routes with its own prefix, middleware, hooks, error handlers and name
 * prefix, like Flask's blueprints. It records its setup; `app.register(bp)` replays it.
 * Blueprints nest with `bp.register(child)`.
 *
 * @example
 * ```ts
 * import { App, Blueprint } from "truss"
 * const api = new Blueprint({ prefix: "/api", name: "api" })
 * api.get("/users/:id", { name: "users.show" }, (c) => ({ id: c.params.id }))
 * const app = new App()
 * app.register(api)
 * app.url("api.users.show", { id: 7 }) // "/api/users/7"
 * ```
 */
export class Blueprint<
  V extends object = Variables,
  Prefix extends string = string,
> extends Scope<V> {
  /** The path prefix; typed from the constructor so typed clients see full paths. */
  readonly prefix: Prefix
  /** The name prefix, if any. */
  readonly name: string | undefined
  /** @internal */ readonly children: { blueprint: Blueprint<V, string>; location: string }[] = []
  /** @internal */ registeredAt: string | undefined

  constructor(options: BlueprintOptions<Prefix> = {}) {
    super()
    const prefix = (options.prefix ?? "") as Prefix
    if (prefix !== "" && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw errors.INVALID_OPTION({
        option: "prefix",
        reason: `"${prefix}" must start with / and not end with /, e.g. "/api"`,
      })
    }
    this.prefix = prefix
    this.name = options.name
  }

  /** Nests another blueprint under this one: prefixes and names combine. */
  register<B extends Blueprint<V, string>>(child: B): WithBlueprint<this, B> {
    this.checkSetup("register")
    this.children.push({ blueprint: child, location: callerLocation() })
    return this as WithBlueprint<this, B>
  }

  protected checkSetup(method: string): void {
    if (this.registeredAt !== undefined) {
      throw errors.BLUEPRINT_FROZEN({ name: this.label, method, at: this.registeredAt })
    }
  }

  protected addRoute(def: RouteDef): void {
    this[RECORDED].routes.push(def)
  }

  /** The name used in messages. @internal */
  get label(): string {
    return this.name ?? (this.prefix || "(unnamed)")
  }
}
