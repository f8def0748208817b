import type { HTTPVersion } from "find-my-way"
import FindMyWay from "find-my-way"
import { errors, TrussError } from "../errors.js"
import { expandOptional, parsePath, toRouterPath } from "./path.js"
import type { Params, RouteMatch, Router } from "./router.js"

type Store<T> = { value: T }

/** The default router: find-my-way's radix tree, with Truss path syntax on top. */
export class FindMyWayRouter<T> implements Router<T> {
  #tree = FindMyWay<HTTPVersion.V1>({ maxParamLength: 1000, caseSensitive: true })
  #methods = new Set<string>()

  add(method: string, path: string, value: T): void {
    this.#methods.add(method)
    const store: Store<T> = { value }
    try {
      for (const variant of expandOptional(parsePath(path))) {
        this.#tree.on(method as "GET", toRouterPath(variant), () => {}, store)
      }
    } catch (cause) {
      if (cause instanceof TrussError) throw cause
      const message = (cause as Error).message
      // find-my-way refuses constraints that could backtrack catastrophically (ReDoS).
      const reason = message.includes("is not safe")
        ? "a constraint could backtrack catastrophically (ReDoS); avoid nested repetition such as (\\d+)+"
        : message
      throw errors.ROUTE_PATH_INVALID({ path, reason }, { cause })
    }
  }

  match(method: string, path: string): RouteMatch<T> | null {
    const found = this.#find(method, path)
    if (found === null) return null
    return { value: (found.store as Store<T>).value, params: found.params as Params }
  }

  allowed(path: string): string[] {
    const out: string[] = []
    for (const method of this.#methods) {
      if (this.#find(method, path) !== null) out.push(method)
    }
    return out.sort()
  }

  #find(method: string, path: string) {
    const found = this.#tree.find(method as "GET", path)
    if (found === null) return null
    // find-my-way matches `/users/` against `/users/:id` with id "": a named param is
    // never empty here, so `/users/` falls through to 404 or the trailing-slash policy.
    const params = found.params as Params
    for (const key in params) if (params[key] === "" && key !== "*") return null
    return found
  }
}
