/**
 * `prefetchRelated()`: loads relations, and paths through them (`"author.company"`),
 * with one batched query per relation and level instead of one per row.
 * @module
 */

import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { RelationMeta } from "../meta.js"
import type { AnyModel } from "../model.js"
import type { QuerySet } from "./query-set.js"

type Values = Record<string, unknown>
const BATCH = 500

/** Runs `build(ids)` for each batch of at most 500 ids and concatenates the rows. */
async function inBatches(
  ids: unknown[],
  build: (part: unknown[]) => QuerySet<AnyModel, unknown>,
): Promise<Values[]> {
  const out: Values[] = []
  for (let i = 0; i < ids.length; i += BATCH) {
    out.push(...((await build(ids.slice(i, i + BATCH)).all()) as Values[]))
  }
  return out
}

/** The distinct non-null values. @internal */
export function unique(values: unknown[]): unknown[] {
  return [...new Set(values.filter((v) => v !== null && v !== undefined))]
}

/** The field key of a model's column. @internal */
export function keyOf(m: AnyModel, column: string): string {
  const col = m.meta.columns.find((c) => c.column === column)
  if (!col) throw ormErrors.INVALID_QUERY({ reason: `${m.name} has no column ${column}` })
  return col.key
}

/** Groups paths by their first relation: `["author", "author.company"]` → author: [company]. */
function byHead(paths: readonly string[]): Map<string, string[]> {
  const tree = new Map<string, string[]>()
  for (const path of paths) {
    const dot = path.indexOf(".")
    const head = dot < 0 ? path : path.slice(0, dot)
    const rest = tree.get(head) ?? []
    if (dot >= 0) rest.push(path.slice(dot + 1))
    tree.set(head, rest)
  }
  return tree
}

/**
 * Attaches the related rows of `paths` to `rows`: one query per relation and level
 * (batched by 500 keys), whatever the number of rows.
 * @throws TRUSS_ERR_ORM_INVALID_QUERY when a path names no relation.
 */
export async function prefetch(
  ex: Executor,
  m: AnyModel,
  rows: Values[],
  paths: readonly string[],
  prefix = "",
): Promise<void> {
  if (rows.length === 0) return
  for (const [head, rest] of byHead(paths)) {
    const rel = m.meta.relation(head)
    if (!rel) {
      const where = prefix ? `"${prefix}${head}": ${prefix.slice(0, -1)} (${m.name})` : m.name
      throw ormErrors.INVALID_QUERY({ reason: `${where} has no relation "${head}" to prefetch` })
    }
    // selectRelated() may have joined this relation already: reuse those rows.
    const joined = rel.type === "forward" && rows.every((r) => r[head] !== undefined)
    if (!joined) await load(ex, rel, rows, head)
    if (rest.length > 0)
      await prefetch(ex, rel.target, children(rows, head), rest, `${prefix}${head}.`)
  }
}

function load(ex: Executor, rel: RelationMeta, rows: Values[], name: string): Promise<void> {
  if (rel.type === "forward") return forward(ex, rel, rows, name)
  if (rel.through) return manyToMany(ex, rel, rows, name)
  return reverse(ex, rel, rows, name)
}

/** The distinct related rows under `name`, for the next level. */
function children(rows: Values[], name: string): Values[] {
  const out = new Set<Values>()
  for (const r of rows) {
    const v = r[name]
    if (Array.isArray(v)) for (const x of v) out.add(x as Values)
    else if (v !== null && typeof v === "object") out.add(v as Values)
  }
  return [...out]
}

async function forward(ex: Executor, rel: RelationMeta, rows: Values[], name: string) {
  const key = `${name}Id`
  const ids = unique(rows.map((r) => r[key]))
  const found = await inBatches(ids, (part) => ex.query(rel.target).filter({ id: { in: part } }))
  const byId = new Map(found.map((r) => [r.id, r]))
  for (const r of rows) r[name] = byId.get(r[key]) ?? null
}

async function reverse(ex: Executor, rel: RelationMeta, rows: Values[], name: string) {
  const fk = keyOf(rel.target, rel.targetColumn)
  const ids = unique(rows.map((r) => r.id))
  const found = await inBatches(ids, (part) =>
    ex.query(rel.target).filter({ [fk]: { in: part } } as never),
  )
  const groups = new Map<unknown, Values[]>()
  for (const t of found) {
    const list = groups.get(t[fk]) ?? []
    list.push(t)
    groups.set(t[fk], list)
  }
  for (const r of rows) {
    const list = groups.get(r.id) ?? []
    r[name] = rel.many ? list : (list[0] ?? null)
  }
}

/**
 * One query on the through table joined to the target, in the target's ordering:
 * each link row carries its target row under the through model's foreign key.
 */
async function manyToMany(ex: Executor, rel: RelationMeta, rows: Values[], name: string) {
  const through = rel.through
  if (!through) return
  const src = keyOf(through.model, through.source)
  const dstKey = keyOf(through.model, through.target)
  const dst = dstKey.slice(0, -2) // the foreign-key field: "tagId" → "tag"
  const ordering = rel.target.meta.ordering
  const order = (ordering.length > 0 ? ordering : ["id"]).map((o) =>
    o.startsWith("-") ? `-${dst}.${o.slice(1)}` : `${dst}.${o}`,
  )
  const ids = unique(rows.map((r) => r.id))
  const links = await inBatches(ids, (part) =>
    ex
      .query(through.model)
      .filter({ [src]: { in: part } } as never)
      .selectRelated(dst as never)
      .orderBy(...(order as never[]), "id" as never),
  )
  const groups = new Map<unknown, Values[]>()
  for (const l of links) {
    const list = groups.get(l[src]) ?? []
    list.push(l[dst] as Values)
    groups.set(l[src], list)
  }
  for (const r of rows) r[name] = groups.get(r.id) ?? []
}
