/**
 * Keyset pagination: `paginate()` pages and `chunks()` batches ordered by a key.
 * @module
 */
import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { WhereNode } from "./expressions.js"
import type { PageCursor } from "./query-types.js"
import { fetchRows } from "./read.js"
import { nonNegative, type OrderSpec, type QueryState } from "./state.js"

/**
 * One page of `state` ordered by `by` (a non-null field, `-` for descending) with the
 * primary key as tie-breaker, and the cursor of the next page.
 */
export async function paginateRows(
  ex: Executor,
  state: QueryState,
  options: { size: number; by?: string; after?: PageCursor | undefined },
): Promise<{ rows: unknown[]; next: PageCursor | undefined }> {
  const by = options.by ?? "id"
  const desc = by.startsWith("-")
  const field = desc ? by.slice(1) : by
  state.model.meta.column(field)
  const picked = state.values
  if (picked && (!picked.includes(field) || !picked.includes("id"))) {
    throw ormErrors.INVALID_QUERY({
      reason: `paginate() needs "${field}" and "id" in values() to build the cursor`,
    })
  }
  let where = state.where
  const after = options.after
  if (after) {
    const cmp = desc ? "lt" : "gt"
    const node: WhereNode =
      field === "id"
        ? { type: "filter", filter: { id: { [cmp]: after.id } } }
        : {
            type: "or",
            children: [
              { type: "filter", filter: { [field]: { [cmp]: after.value } } },
              { type: "filter", filter: { [field]: after.value, id: { [cmp]: after.id } } },
            ],
          }
    where = [...where, node]
  }
  const order: OrderSpec[] = [
    { path: field, desc, nulls: undefined },
    ...(field === "id" ? [] : [{ path: "id", desc, nulls: undefined }]),
  ]
  const limit = nonNegative(options.size, "paginate size") + 1
  const rows = await fetchRows(ex, { ...state, where, order, limit })
  const more = rows.length > options.size
  const page = more ? rows.slice(0, options.size) : rows
  const last = page[page.length - 1] as Record<string, unknown> | undefined
  return { rows: page, next: more && last ? { value: last[field], id: last.id } : undefined }
}

/** Yields the rows of `state` in primary-key order, `size` at a time. */
export async function* chunkRows(
  ex: Executor,
  state: QueryState,
  size: number,
): AsyncGenerator<unknown[]> {
  if (state.limit !== undefined || state.offset !== undefined) {
    throw ormErrors.INVALID_QUERY({
      reason: "chunks() pages by primary key; remove limit()/offset()",
    })
  }
  const order: OrderSpec[] = [{ path: "id", desc: false, nulls: undefined }]
  let last: unknown
  for (;;) {
    const where: readonly WhereNode[] =
      last === undefined
        ? state.where
        : [...state.where, { type: "filter", filter: { id: { gt: last } } }]
    const rows = await fetchRows(ex, { ...state, where, order, limit: size })
    if (rows.length === 0) return
    yield rows
    if (rows.length < size) return
    last = (rows[rows.length - 1] as { id: unknown }).id
  }
}
