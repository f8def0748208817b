/**
 * The immutable state behind a query set.
 * @module
 */
import { ormErrors } from "../errors.js"
import type { AnyModel } from "../model.js"
import {
  type Condition,
  type ConditionBuilder,
  conditionBuilder,
  type Expression,
  toWhere,
  type WhereNode,
} from "./expressions.js"

/** One ORDER BY term. */
export interface OrderSpec {
  readonly path: string
  readonly desc: boolean
  readonly nulls: "first" | "last" | undefined
}

/** Everything a query set knows; never mutated, copied on each builder call. */
export interface QueryState {
  readonly model: AnyModel
  readonly where: readonly WhereNode[]
  readonly order: readonly OrderSpec[] | undefined
  readonly limit: number | undefined
  readonly offset: number | undefined
  readonly distinct: boolean
  readonly related: readonly string[]
  readonly prefetch: readonly string[]
  readonly values: readonly string[] | undefined
  readonly annotations: Readonly<Record<string, Expression>> | undefined
}

/** The empty state of a model. */
export function initialState(model: AnyModel): QueryState {
  let state = initial.get(model)
  if (state) return state
  state = Object.freeze({
    model,
    where: [],
    order: undefined,
    limit: undefined,
    offset: undefined,
    distinct: false,
    related: [],
    prefetch: [],
    values: undefined,
    annotations: undefined,
  })
  initial.set(model, state)
  return state
}

const initial = new WeakMap<AnyModel, QueryState>()

/** Parses `"-createdAt"` or an order object into an {@link OrderSpec}. */
export function parseOrder(
  o: string | { field: string; direction?: "asc" | "desc"; nulls?: "first" | "last" },
): OrderSpec {
  if (typeof o === "string") {
    const desc = o.startsWith("-")
    return { path: desc ? o.slice(1) : o, desc, nulls: undefined }
  }
  return { path: o.field, desc: o.direction === "desc", nulls: o.nulls }
}

/** The WHERE node of a `filter()` argument: an object, a condition or a function of `q`. */
export function whereOf<W>(
  arg: W | Condition<W> | ((q: ConditionBuilder<W>) => Condition<W>),
): WhereNode {
  const value =
    typeof arg === "function"
      ? (arg as (q: ConditionBuilder<W>) => Condition<W>)(conditionBuilder<W>())
      : (arg as W | Condition<W>)
  return toWhere(value)
}

/** A filter on the primary key. */
export function byId(id: unknown): WhereNode {
  return { type: "filter", filter: { id } }
}

/** Checks a limit, offset or page size. */
export function nonNegative(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw ormErrors.INVALID_QUERY({
      reason: `${what}() needs a non-negative integer, got ${String(n)}`,
    })
  }
  return n
}
