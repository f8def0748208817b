import type { Context, Variables } from "./context.js"
import { errors } from "./errors.js"
import { setResult } from "./response/result.js"
import type { Params } from "./router/router.js"

/**
 * Calls the rest of the chain; resolves once downstream has produced a response.
 * @example
 * ```ts
 * import type { Middleware, Next } from "truss"
 * const timed: Middleware = async function timed(c, next: Next) {
 *   const start = Date.now()
 *   await next()
 *   c.header("x-response-ms", String(Date.now() - start))
 * }
 * ```
 */
export type Next = () => Promise<void>

/**
 * Middleware runs around the handler (async onion). Return a value without calling
 * `next()` to answer early. Give it a name: it shows in stack traces.
 * @example
 * ```ts
 * import { App, HttpError, type Middleware } from "truss"
 * function requireKey(key: string): Middleware {
 *   return async function requireKey(c, next) {
 *     if (c.req.header("x-api-key") !== key) throw new HttpError(401, "Send a valid x-api-key header")
 *     await next()
 *   }
 * }
 * new App().get("/secret", requireKey("k1"), () => ({ ok: true }))
 * ```
 */
export type Middleware<V extends object = Variables, P extends object = Params> = (
  c: Context<V, P>,
  next: Next,
) => unknown

/**
 * A route handler: return an object (JSON), a string, a `Response`, or a reply helper's result.
 * @example
 * ```ts
 * import { App, type Handler } from "truss"
 * const health: Handler = () => ({ status: "ok" })
 * new App().get("/health", health)
 * ```
 */
export type Handler<
  V extends object = Variables,
  P extends object = Params,
  I extends object = object,
> = (c: Context<V, P, I>) => unknown

/** Turns an error into the response; set on the app, a blueprint or by status. */
export type ErrorSink = (err: unknown, c: Context) => void | Promise<void>

type Chain = (c: Context) => void | Promise<void>

/**
 * What `next()` returns when everything after it finished synchronously: one shared,
 * already-resolved promise. `await next()` and `next().then()` work as with any
 * promise; the core and the batteries compare against it to skip a promise and a
 * microtask per layer when nothing awaited (a hello route behind pass-through
 * middleware answers in the same tick).
 * @internal
 */
export const DONE: Promise<void> = Promise.resolve()

function runHandler(c: Context, handler: Handler, onError: ErrorSink): void | Promise<void> {
  let result: unknown
  try {
    result = handler(c)
  } catch (err) {
    return onError(err, c)
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => finishHandler(c, value, onError),
      (err) => onError(err, c),
    )
  }
  return finishHandler(c, result, onError)
}

function finishHandler(c: Context, value: unknown, onError: ErrorSink): void | Promise<void> {
  if (value === undefined && c.body === undefined) {
    const route = c.route ? `${c.route.method} ${c.route.path}` : c.req.path
    return onError(errors.NO_RESPONSE({ route }), c)
  }
  if (value === undefined) return
  try {
    setResult(c, value)
  } catch (err) {
    // A body that cannot be serialized (a BigInt, a response schema mismatch).
    return onError(err, c)
  }
}

/**
 * Composes middleware around a handler. An error thrown anywhere becomes a response
 * at the level it was thrown, so outer middleware still runs its after-`next()` part
 * and sees `c.error`.
 */
export function compose(middleware: Middleware[], handler: Handler, onError: ErrorSink): Chain {
  if (middleware.length === 0) {
    return function handle(c) {
      return runHandler(c, handler, onError)
    }
  }
  return function chain(c) {
    let index = -1
    const dispatch = (i: number): Promise<void> => {
      if (i <= index) return Promise.reject(errors.NEXT_CALLED_TWICE())
      index = i
      if (i === middleware.length) return runHandler(c, handler, onError) ?? DONE
      let result: unknown
      try {
        result = middleware[i]!(c, () => dispatch(i + 1))
      } catch (err) {
        return onError(err, c) ?? DONE
      }
      if (result === DONE) return DONE
      if (result instanceof Promise) {
        return result.then(
          (value) => {
            if (value !== undefined) setResult(c, value)
          },
          (err) => onError(err, c),
        )
      }
      if (result !== undefined) setResult(c, result)
      return DONE
    }
    const done = dispatch(0)
    return done === DONE ? undefined : done
  }
}
