/**
 * The router contract: any implementation that passes `router.test.ts` can replace
 * the default find-my-way router.
 * @module
 */

/** Params produced by a match: name → decoded value. */
export type Params = Record<string, string | undefined>

/** A successful match. */
export interface RouteMatch<T> {
  value: T
  params: Params
}

/**
 * A router maps (method, path) to a value. `add` takes Truss path syntax; `match`
 * takes the raw, still percent-encoded path without the query string.
 */
export interface Router<T> {
  add(method: string, path: string, value: T): void
  match(method: string, path: string): RouteMatch<T> | null
  /** Methods that have a route for this path, for 405 and OPTIONS `Allow` headers. */
  allowed(path: string): string[]
}
