import type { Context } from "../context.js"
import type { FlashMessage } from "../slots.js"
import { templateErrors } from "./errors.js"

/** The nonce slots `secureHeaders()` fills (declared by truss/security). */
interface NonceSlots {
  cspNonce?: string
  makeCspNonce?: (c: Context) => string
}

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

const flashMemo = new WeakMap<Context, FlashMessage[]>()

/** Reads the session's flashes once per request: reading consumes them. */
function flashesOf(c: Context): FlashMessage[] {
  let flashes = flashMemo.get(c)
  if (flashes === undefined) {
    flashes = c.slots?.session?.flashes() ?? []
    flashMemo.set(c, flashes)
  }
  return flashes
}

/**
 * Builds the globals of one render: the app's `globals`, then `request`, `user`,
 * `csrfToken`, `flashes` and `cspNonce` as getters, so nothing is computed (and no flash is
 * consumed) unless the template reads it.
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
    user: { enumerable: true, get: () => c.user ?? null },
    csrfToken: { enumerable: true, get: () => c.csrfToken },
    flashes: { enumerable: true, get: () => flashesOf(c) },
    // Made by secureHeaders() from truss/security, through the slot, not an import:
    // the nonce goes into the CSP only once something (a template) has asked for it.
    cspNonce: {
      enumerable: true,
      get: () => {
        const slots = c.slots as NonceSlots | undefined
        return slots?.cspNonce ?? slots?.makeCspNonce?.(c) ?? null
      },
    },
  })
  return locals
}

/** The context of the render, for helpers that need one. */
export function contextOf(globals: object, helper: string): Context {
  const c = (globals as Locals)[CONTEXT]
  if (c === undefined) throw templateErrors.TEMPLATE_NO_REQUEST({ helper })
  return c
}
