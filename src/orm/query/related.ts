/**
 * The manager of a row's related rows and many-to-many links (`prefetch()` lives in
 * `prefetch.ts`).
 * @module
 */

import { ormErrors } from "../errors.js"
import type { Executor } from "../executor.js"
import type { RelationMeta } from "../meta.js"
import type { AnyModel } from "../model.js"
import type { Row } from "../types.js"
import { Condition } from "./expressions.js"
import { keyOf, unique } from "./prefetch.js"
import type { QuerySet } from "./query-set.js"

type Values = Record<string, unknown>

export { prefetch } from "./prefetch.js"

function idOf(v: unknown): unknown {
  return typeof v === "object" && v !== null && "id" in v ? (v as { id: unknown }).id : v
}

/**
 * The rows related to one row. For many-to-many relations it also edits the links.
 *
 * @example
 * ```ts
 * // const tags = db.query(Article).related(article.id, "tags")
 * // await tags.add(tag1, tag2.id)
 * // const names = (await tags.query().all()).map((t) => t.name)
 * ```
 */
export class RelationManager<T extends AnyModel = AnyModel> {
  readonly #ex: Executor
  readonly #rel: RelationMeta
  readonly #pk: unknown

  /** @internal */
  constructor(ex: Executor, rel: RelationMeta, pk: unknown) {
    this.#ex = ex
    this.#rel = rel
    this.#pk = pk
  }

  /** A query set of the related rows. */
  query(): QuerySet<T> {
    const rel = this.#rel
    const qs = this.#ex.query(rel.target as T)
    if (!rel.through) {
      return qs.filter(
        new Condition({
          type: "filter",
          filter: { [keyOf(rel.target, rel.targetColumn)]: this.#pk },
        }) as never,
      )
    }
    const t = rel.through
    const node = {
      type: "through",
      table: t.model.meta.table,
      source: t.source,
      target: t.target,
      value: this.#pk,
    } as const
    return qs.filter(new Condition(node) as never)
  }

  #links(): { model: AnyModel; src: string; dst: string } {
    const t = this.#rel.through
    if (!t)
      throw ormErrors.INVALID_QUERY({
        reason: `"${this.#rel.name}" is not many-to-many; update the foreign key instead`,
      })
    return { model: t.model, src: keyOf(t.model, t.source), dst: keyOf(t.model, t.target) }
  }

  /** Links rows (by row or primary key); existing links are kept. */
  async add(...targets: (Row<T> | Row<T>["id"])[]): Promise<void> {
    const { model, src, dst } = this.#links()
    const ids = unique(targets.map(idOf))
    if (ids.length === 0) return
    await this.#ex.transaction(async (tx) => {
      const existing = await tx
        .query(model)
        .filter({ [src]: this.#pk, [dst]: { in: ids } } as never)
        .all()
      const have = new Set(existing.map((r) => (r as Values)[dst]))
      const rows = ids.filter((id) => !have.has(id)).map((id) => ({ [src]: this.#pk, [dst]: id }))
      if (rows.length > 0) await tx.query(model).bulkCreate(rows as never)
    })
  }

  /** Unlinks rows (by row or primary key). */
  async remove(...targets: (Row<T> | Row<T>["id"])[]): Promise<void> {
    const { model, src, dst } = this.#links()
    const ids = unique(targets.map(idOf))
    if (ids.length === 0) return
    await this.#ex
      .query(model)
      .filter({ [src]: this.#pk, [dst]: { in: ids } } as never)
      .delete()
  }

  /** Removes every link of this row. */
  async clear(): Promise<void> {
    const { model, src } = this.#links()
    await this.#ex
      .query(model)
      .filter({ [src]: this.#pk } as never)
      .delete()
  }

  /** Replaces the links with exactly `targets`. */
  async set(targets: readonly (Row<T> | Row<T>["id"])[]): Promise<void> {
    const { model, src, dst } = this.#links()
    const ids = unique(targets.map(idOf))
    await this.#ex.transaction(async (tx) => {
      await tx
        .query(model)
        .filter({ [src]: this.#pk, [dst]: { notIn: ids } } as never)
        .delete()
      await new RelationManager<T>(tx, this.#rel, this.#pk).add(...(ids as Row<T>["id"][]))
    })
  }
}
