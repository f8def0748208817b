/**
 * Find-or-write methods of a query set: `getOrCreate`, `upsert` and `updateOrCreate`.
 * @module
 */
import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import { compileUpsert } from "./compile-write.js"
import { toWhere } from "./expressions.js"
import { createRow, updateRows } from "./mutate.js"
import { fetchRows, getRow } from "./read.js"
import { readBack } from "./read-back.js"
import { byId, type QueryState } from "./state.js"
import { decodeRow, validated, withDefaults } from "./write.js"

type Values = Record<string, unknown>

/** `state` returning plain model rows (no joins, prefetches or values()). */
function plainRows(state: QueryState): QueryState {
  return { ...state, related: [], prefetch: [], values: undefined }
}

function filtered(state: QueryState, filter: object, limit: number): QueryState {
  return { ...state, where: [...state.where, toWhere(filter)], limit }
}

/** Gets the row matching `filter`, or creates it; returns `[row, created]`. */
export async function getOrCreateRow(
  ex: Executor,
  state: QueryState,
  filter: object,
  defaults: object,
): Promise<[Values, boolean]> {
  const m = state.model
  const base = plainRows(state)
  const found = (await fetchRows(ex, filtered(base, filter, 2))) as Values[]
  if (found.length === 1) return [found[0] as Values, false]
  if (found.length > 1) throw ormErrors.MULTIPLE_OBJECTS({ model: m.name, count: found.length })
  const input = { ...plainValues(filter), ...defaults }
  try {
    const row = await ex.transaction((tx) => createRow(tx, m, input))
    return [row, true]
  } catch (err) {
    // Another writer may have created it between our read and insert.
    const [again] = (await fetchRows(ex, filtered(base, filter, 1))) as Values[]
    if (again) return [again, false]
    throw err
  }
}

/** Inserts a row or, on a unique-key conflict, updates it in one statement. */
export async function upsertRow(
  ex: Executor,
  state: QueryState,
  input: object,
  conflict: readonly string[],
  update: readonly string[] | undefined,
): Promise<Values> {
  const m = state.model
  const given = Object.keys(input)
  const values = withDefaults(m, validated(m, input, "create"))
  const set = update ?? given.filter((k) => k !== "id" && !conflict.includes(k))
  const { sql, parameters } = compileUpsert(ex.dialect, m.meta, values, conflict, set)
  const result = await ex.exec(sql, parameters)
  const returned = result.rows[0]
  if (returned && ex.dialect.insertReturning) return decodeRow(ex, m, returned)
  // MySQL: the insert id names the inserted or updated row (`id = LAST_INSERT_ID(id)`);
  // uuid keys have none, so the row is found by its conflict fields.
  if (!ex.dialect.insertReturning && result.insertId !== undefined)
    return (await readBack(ex, m, [Number(result.insertId)]))[0] as Values
  const key: Values = {}
  for (const k of conflict) key[k] = values[k]
  const where = [{ type: "filter" as const, filter: key }]
  return (await getRow(ex, { ...plainRows(state), where }, undefined)) as Values
}

/** Updates the row matching `filter` with `values`, or creates it; returns `[row, created]`. */
export async function updateOrCreateRow(
  ex: Executor,
  state: QueryState,
  filter: object,
  values: object,
): Promise<[Values, boolean]> {
  const m = state.model
  return ex.transaction(async (tx) => {
    const base = plainRows(state)
    const found = (await fetchRows(tx, filtered(base, filter, 2))) as Values[]
    if (found.length > 1) throw ormErrors.MULTIPLE_OBJECTS({ model: m.name, count: found.length })
    const existing = found[0]
    if (!existing) return [await createRow(tx, m, { ...plainValues(filter), ...values }), true]
    const one = { ...base, where: [byId(existing.id)] }
    await updateRows(tx, one, values)
    const [row] = (await fetchRows(tx, { ...one, limit: 1 })) as Values[]
    return [row as Values, false]
  })
}

/** The plain (non-lookup) values of a filter object. */
function plainValues(filter: object): Values {
  const out: Values = {}
  for (const [k, v] of Object.entries(filter)) {
    const plain =
      typeof v !== "object" || v === null || v instanceof Date || v instanceof Uint8Array
    if (plain) out[k] = v
  }
  return out
}
