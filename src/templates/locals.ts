import { type Context, viewLocals } from "../kit.js"
import { templateErrors } from "./errors.js"

/** Where the per-request globals keep their context; invisible to templates. */
export const CONTEXT = Symbol("truss.context")

/** The globals object of one render. @internal */
export interface Locals {
  [CONTEXT]?: Context
  [key: string]: unknown
}

/**
 * What templates see as `request`: `{{ request.path }}`, `{{ request.query.page }}`.
 * @example
 * ```ts
 * import type { RequestView } from "truss/templates"
 * const view: RequestView = { method: "GET", path: "/", url: "http://localhost/", query: {} }
 * ```
 */
export interface RequestView {
  method: string
  path: string
  url: string
  query: Record<string, string>
}

/**
 * Builds the globals of one render: the app's `globals`, then `request` and every view
 * local the loaded batteries define (`csrfToken`, `flashes`, `cspNonce`, `user`…) as
 * getters, so nothing is computed (and no flash is consumed) unless the template reads it.
 */
export function requestLocals(c: Context | undefined, base: Record<string, unknown>): Locals {
  const locals: Locals = { ...base }
  if (c === undefined) return locals
  locals[CONTEXT] = c
  let request: RequestView | undefined
  Object.defineProperties(locals, {
    request: {
      enumerable: true,
      get: () => {
        request ??= {
          method: c.req.method,
          path: c.req.path,
          url: c.req.url,
          query: Object.fromEntries(c.req.query),
        }
        return request
      },
    },
  })
  // What the loaded batteries offer: csrfToken, flashes, cspNonce, user…
  for (const [name, get] of viewLocals()) {
    Object.defineProperty(locals, name, { enumerable: true, get: () => get(c) })
  }
  return locals
}

/** The context of the render, for helpers that need one. */
export function contextOf(globals: object, helper: string): Context {
  const c = (globals as Locals)[CONTEXT]
  if (c === undefined) throw templateErrors.TEMPLATE_NO_REQUEST({ helper })
  return c
}
