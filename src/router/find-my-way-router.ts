import type { HTTPVersion } from "find-my-way"
import FindMyWay from "find-my-way"
import type { Params, RouteMatch, Router } from "./router.js"
import { parsePath, toRouterPath } from "./path.js"

type Store<T> = { value: T }

/** The default router: find-my-way's radix tree, with Truss path syntax on top. */
export class FindMyWayRouter<T> implements Router<T> {
  #tree = FindMyWay<HTTPVersion.V1>({ maxParamLength: 1000, caseSensitive: true })
  #methods = new Set<string>()

  add(method: string, path: string, value: T): void {
    this.#methods.add(method)
    const store: Store<T> = { value }
    this.#tree.on(method as "GET", toRouterPath(parsePath(path)), () => {}, store)
  }

  match(method: string, path: string): RouteMatch<T> | null {
    const found = this.#tree.find(method as "GET", path)
    if (found === null) return null
    return { value: (found.store as Store<T>).value, params: found.params as Params }
  }

  allowed(path: string): string[] {
    const out: string[] = []
    for (const method of this.#methods) {
      if (this.#tree.find(method as "GET", path) !== null) out.push(method)
    }
    return out.sort()
  }
}
