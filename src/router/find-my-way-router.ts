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
  // Routes without params by method and exact path: the request path equal to one is
  // the match find-my-way would return (a static route wins over params and
  // wildcards), found with one Map lookup instead of a tree walk. Anything else,
  // HEAD included (find-my-way answers it from GET), goes to the tree.
  #static = new Map<string, Map<string, T>>()

  add(method: string, path: string, value: T): void {
    this.#methods.add(method)
    const store: Store<T> = { value }
    try {
      for (const variant of expandOptional(parsePath(path))) {
        const routerPath = toRouterPath(variant)
        this.#tree.on(method as "GET", routerPath, () => {}, store)
        // No param, wildcard, escaped colon, percent-encoding or `;` (find-my-way
        // decodes and cuts the request path at those): an exact path.
        if (!/[:*%;]/.test(routerPath)) {
          let byPath = this.#static.get(method)
          if (byPath === undefined) {
            byPath = new Map()
            this.#static.set(method, byPath)
          }
          byPath.set(routerPath, value)
        }
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
    const exact = this.#static.get(method)?.get(path)
    if (exact !== undefined) return { value: exact, params: {} }
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
