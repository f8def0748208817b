/**
 * The router contract: any implementation that passes `router.test.ts` can replace
 * the default find-my-way router.
 * @module
 */

/**
 * Params produced by a match: name → decoded value.
 * @example
 * ```ts
 * import type { Params } from "truss"
 * const params: Params = { id: "7", slug: undefined }
 * ```
 */
export type Params = Record<string, string | undefined>

/**
 * A successful match.
 * @example
 * ```ts
 * import type { RouteMatch } from "truss"
 * const match: RouteMatch<string> = { value: "users.show", params: { id: "7" } }
 * ```
 */
export interface RouteMatch<T> {
  value: T
  params: Params
}

/**
 * A router maps (method, path) to a value. `add` takes Truss path syntax; `match`
 * takes the raw, still percent-encoded path without the query string.
 * @example
 * ```ts
 * import type { Router } from "truss"
 * // A toy router for exact static paths, to show the contract.
 * class StaticRouter<T> implements Router<T> {
 *   #routes = new Map<string, T>()
 *   add(method: string, path: string, value: T) {
 *     this.#routes.set(`${method} ${path}`, value)
 *   }
 *   match(method: string, path: string) {
 *     const value = this.#routes.get(`${method} ${path}`)
 *     return value === undefined ? null : { value, params: {} }
 *   }
 *   allowed(path: string) {
 *     return [...this.#routes.keys()].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(" ")[0]!)
 *   }
 * }
 * ```
 */
export interface Router<T> {
  add(method: string, path: string, value: T): void
  match(method: string, path: string): RouteMatch<T> | null
  /** Methods that have a route for this path, for 405 and OPTIONS `Allow` headers. */
  allowed(path: string): string[]
}
