/**
 * How batteries extend the core without the core naming them: per-request state in
 * slots, properties and methods on `Context`, and values offered to views (templates).
 * Each battery declares its slot types and context members by module augmentation
 * from its own folder, and installs the members with {@link extendContext}.
 * @module
 */
import { Context, SLOTS } from "./context.js"
import { errors } from "./errors.js"

/**
 * Per-request battery state, keyed by `SLOTS` on the context. Empty in the core; each
 * battery adds its own members by augmenting this interface through `src/kit.ts`.
 * @internal
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by each battery
export interface Slots {}

/**
 * The slots of `c`, made on first use.
 * @internal
 */
export function slotsOf(c: Context): Slots {
  let slots = c[SLOTS]
  if (slots === undefined) {
    slots = {}
    c[SLOTS] = slots
  }
  return slots
}

type Member =
  | { get(this: Context): unknown }
  | { value: (this: Context, ...args: never[]) => unknown }

const owners = new Map<string, string>()

/**
 * Installs a getter or a method on every `Context`, for a battery that declared its type
 * by augmenting `Context`. A member can be installed once: a second battery (or the core)
 * claiming the same name is a startup error.
 * @param battery - The battery's name, for the error message.
 * @param name - The member's name (`"session"`, `"render"`).
 * @throws TRUSS_ERR_CONTEXT_MEMBER_TAKEN when the name is taken.
 * @internal
 */
export function extendContext(battery: string, name: string, member: Member): void {
  const owner = owners.get(name) ?? (name in Context.prototype ? "truss" : undefined)
  if (owner !== undefined) throw errors.CONTEXT_MEMBER_TAKEN({ name, owner, battery })
  owners.set(name, battery)
  Object.defineProperty(Context.prototype, name, { ...member, configurable: false })
}

type Local = (c: Context) => unknown
const locals = new Map<string, Local>()

/**
 * Offers a value to every view of a request (a template's `{{ csrfToken }}`), computed
 * only when the view reads it. Views read {@link viewLocals}.
 * @param name - The variable's name in views.
 * @param get - Computes it for one request; may throw a coded error when its battery's
 *   middleware is missing.
 * @internal
 */
export function defineViewLocal(name: string, get: Local): void {
  locals.set(name, get)
}

/** Every view local the loaded batteries offer, by name. @internal */
export function viewLocals(): ReadonlyMap<string, Local> {
  return locals
}
