/**
 * The terminal reads of a query set: rows, one row, count, exists and aggregates.
 * @module
 */
import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { AnyModel } from "../model.js"
import type { FilterOf } from "../types.js"
import {
  type CompiledSelect,
  compileAggregate,
  compileCount,
  compileGet,
  compileSelect,
} from "./compile-select.js"
import { Condition, type Expression } from "./expressions.js"
import type { AggResult, FilterArg } from "./query-types.js"
import { prefetch } from "./related.js"
import { type QueryState, whereOf } from "./state.js"

/** Runs a compiled SELECT of `state`, decodes its rows and loads prefetched relations. */
export async function fetchRows(
  ex: Executor,
  state: QueryState,
  c: CompiledSelect = compileSelect(ex.dialect, state),
): Promise<unknown[]> {
  const result = await ex.exec(c.sql, c.parameters)
  const rows = c.decode(result.rows)
  if (state.prefetch.length > 0) await prefetch(ex, state.model, rows, state.prefetch)
  return rows
}

/**
 * The one row of `state` matching `arg`.
 * @throws TRUSS_ERR_ORM_DOES_NOT_EXIST when none matches, TRUSS_ERR_ORM_MULTIPLE_OBJECTS when more do.
 */
export function getRow<M extends AnyModel>(
  ex: Executor,
  base: QueryState,
  arg: FilterArg<M> | undefined,
): Promise<unknown> {
  if (typeof arg === "object" && arg !== null && !(arg instanceof Condition)) {
    try {
      // By primary key: a cached statement that stops at its one row (no list, no count).
      const c = compileGet(ex.dialect, base, arg as Record<string, unknown>)
      if (c !== undefined) {
        const raw = ex.one(c.sql, c.parameters)
        // SQLite answers synchronously: no async frame and no extra tick on the hottest read.
        if (raw instanceof Promise) return raw.then((r) => oneRow(ex, base, c.row, r))
        return Promise.resolve(oneRow(ex, base, c.row, raw))
      }
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return getFiltered(ex, base, arg)
}

/** The decoded row, or a promise of it when relations are prefetched; throws when there is none. */
function oneRow(
  ex: Executor,
  base: QueryState,
  decode: (raw: Record<string, unknown>) => Record<string, unknown>,
  raw: Record<string, unknown> | undefined,
): unknown {
  if (raw === undefined) throw ormErrors.DOES_NOT_EXIST({ model: base.model.name })
  const row = decode(raw)
  if (base.prefetch.length === 0) return row
  return prefetch(ex, base.model, [row], base.prefetch).then(() => row)
}

async function getFiltered<M extends AnyModel>(
  ex: Executor,
  base: QueryState,
  arg: FilterArg<M> | undefined,
): Promise<unknown> {
  const where = arg === undefined ? base.where : [...base.where, whereOf<FilterOf<M>>(arg)]
  const state: QueryState = { ...base, where, limit: 21 }
  const rows = await fetchRows(ex, state)
  if (rows.length === 1) return rows[0]
  if (rows.length === 0) throw ormErrors.DOES_NOT_EXIST({ model: base.model.name })
  throw ormErrors.MULTIPLE_OBJECTS({ model: base.model.name, count: rows.length })
}

/** Counts the rows of `state`. */
export async function countRows(ex: Executor, state: QueryState): Promise<number> {
  const { sql, parameters } = compileCount(ex.dialect, state)
  const result = await ex.exec(sql, parameters)
  return Number(result.rows[0]?.count ?? 0)
}

/** True when `state` matches at least one row. */
export async function rowsExist(ex: Executor, state: QueryState): Promise<boolean> {
  const c = compileSelect(ex.dialect, {
    ...state,
    values: ["id"],
    annotations: undefined,
    limit: 1,
    order: [],
  })
  const result = await ex.exec(c.sql, c.parameters)
  return result.rows.length > 0
}

/** Computes aggregates over the rows of `state` (null for an aggregate over no rows). */
export async function aggregateRows<A extends Record<string, Expression<unknown>>>(
  ex: Executor,
  state: QueryState,
  aggregates: A,
): Promise<AggResult<A>> {
  const { sql, parameters } = compileAggregate(ex.dialect, state, aggregates)
  const result = await ex.exec(sql, parameters)
  const raw = result.rows[0] ?? {}
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(aggregates))
    out[k] = raw[k] === null || raw[k] === undefined ? null : Number(raw[k])
  return out as AggResult<A>
}
