/**
 * The write methods of a query set: create, bulk create, update, delete, save and
 * bulk update by primary key.
 * @module
 */
import type { Executor } from "../executor.js"
import type { AnyModel } from "../model.js"
import { toProtectedError } from "../protected.js"
import { compileBulkUpdate, compileDelete, compileUpdate } from "./compile-write.js"
import { Expression } from "./expressions.js"
import { byId, type QueryState } from "./state.js"
import { createInput, insertBatchSize, insertRows, validated, withAutoNow } from "./write.js"

type Values = Record<string, unknown>

/** Validates, fills defaults, runs `beforeSave`, inserts and runs `afterSave`. */
export async function createRow(ex: Executor, m: AnyModel, input: unknown): Promise<Values> {
  const values = createInput(m)(input)
  const hooks = m.options.hooks
  if (hooks?.beforeSave) await hooks.beforeSave(values as never, { created: true })
  const [row] = await insertRows(ex, m, [values])
  if (hooks?.afterSave) await hooks.afterSave(row as never, { created: true })
  return row as Values
}

/** Inserts many rows in batches of `size` (in one transaction when there are several). */
export async function bulkCreateRows(
  ex: Executor,
  m: AnyModel,
  inputs: readonly unknown[],
  size: number,
): Promise<Values[]> {
  const rows = inputs.map(createInput(m))
  const batch = insertBatchSize(ex.dialect, m.meta, size)
  if (rows.length <= batch) return insertRows(ex, m, rows)
  return ex.transaction(async (tx) => {
    const out: Values[] = []
    for (let i = 0; i < rows.length; i += batch) {
      out.push(...(await insertRows(tx, m, rows.slice(i, i + batch))))
    }
    return out
  })
}

/** Validates `values` and updates the rows of `state`; returns the count. */
export function updateRows(ex: Executor, state: QueryState, values: unknown): Promise<number> {
  try {
    const m = state.model
    const checked = withAutoNow(m, validated(m, values, "update"))
    if (Object.keys(checked).length === 0) return Promise.resolve(0)
    return rawUpdate(ex, state, checked)
  } catch (error) {
    return Promise.reject(error)
  }
}

function rawUpdate(ex: Executor, state: QueryState, values: Values): Promise<number> {
  const { sql, parameters } = compileUpdate(ex.dialect, state, values)
  const result = ex.exec(sql, parameters)
  // SQLite answers synchronously: one settled promise, no async frames or extra ticks.
  if (result instanceof Promise) return result.then(affected)
  return Promise.resolve(affected(result))
}

function affected(result: { numAffectedRows?: bigint }): number {
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Deletes the rows of `state`; returns the count.
 * @throws TRUSS_ERR_ORM_PROTECTED when a protect/restrict foreign key still references them.
 */
export async function deleteRows(ex: Executor, state: QueryState): Promise<number> {
  const { sql, parameters } = compileDelete(ex.dialect, state)
  try {
    const result = await ex.exec(sql, parameters)
    return Number(result.numAffectedRows ?? 0)
  } catch (err) {
    throw toProtectedError(state.model, err)
  }
}

/** Saves a changed row by primary key with validation and hooks. */
export async function saveRow(ex: Executor, state: QueryState, row: Values): Promise<Values> {
  const m = state.model
  const { id, ...all } = row
  const rest: Values = {}
  for (const col of m.meta.columns)
    if (!col.primaryKey && col.key in all) rest[col.key] = all[col.key]
  const values = withAutoNow(m, validated(m, rest, "update"))
  await m.options.hooks?.beforeSave?.(values as never, { created: false })
  await rawUpdate(ex, { ...state, where: [byId(id)], limit: undefined, offset: undefined }, values)
  const saved = { ...row, ...values }
  await m.options.hooks?.afterSave?.(saved as never, { created: false })
  return saved
}

/** Deletes one row by primary key, running `beforeDelete`/`afterDelete`. */
export async function deleteOneRow(ex: Executor, state: QueryState, row: Values): Promise<void> {
  const m = state.model
  await m.options.hooks?.beforeDelete?.(row as never)
  await deleteRows(ex, { ...state, where: [byId(row.id)] })
  await m.options.hooks?.afterDelete?.(row as never)
}

/**
 * Updates `keys` of each row by primary key: on PostgreSQL in one statement, elsewhere
 * (and when values are expressions or an id repeats) one UPDATE per row in a transaction.
 */
export async function bulkUpdateRows(
  ex: Executor,
  state: QueryState,
  rows: readonly (Values & { id: unknown })[],
  keys: readonly string[],
): Promise<number> {
  const batched = ex.dialect.updateFromValues ? batchValues(state.model, rows, keys) : undefined
  if (batched) {
    const meta = state.model.meta
    const { sql, parameters } = compileBulkUpdate(ex.dialect, meta, batched.keys, batched.rows)
    const result = await ex.exec(sql, parameters)
    return Number(result.numAffectedRows ?? 0)
  }
  return ex.transaction(async (tx) => {
    let n = 0
    for (const row of rows) {
      const values: Values = {}
      for (const k of keys) values[k] = row[k]
      n += await updateRows(tx, { ...state, where: [byId(row.id)] }, values)
    }
    return n
  })
}

/** Validated values of every row for one batched UPDATE, or undefined when it cannot be one. */
function batchValues(
  m: AnyModel,
  rows: readonly (Values & { id: unknown })[],
  keys: readonly string[],
): { keys: string[]; rows: Values[] } | undefined {
  if (rows.length < 2) return undefined
  const ids = new Set<unknown>()
  const out: Values[] = []
  let shape: string[] | undefined
  for (const row of rows) {
    if (row.id === null || row.id === undefined || ids.has(row.id)) return undefined
    ids.add(row.id)
    const values: Values = {}
    for (const k of keys) values[k] = row[k]
    const checked = withAutoNow(m, validated(m, values, "update"))
    const names = Object.keys(checked)
    for (const k of names) {
      const v = checked[k]
      if (v === undefined || v instanceof Expression) return undefined
    }
    if (shape === undefined) shape = names
    else if (shape.length !== names.length || shape.some((k, i) => names[i] !== k)) return undefined
    out.push({ ...checked, id: row.id })
  }
  return shape?.length ? { keys: shape, rows: out } : undefined
}
