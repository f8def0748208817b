/**
 * `TRUSS_ERR_ORM_PROTECTED`: a DELETE that a foreign key refused, with the relations
 * that block it named from the models' metadata.
 * @module
 */
import { ormErrors } from "./errors.js"
import { ForeignKeyField } from "./fields/relations.js"
import { integrityParams } from "./integrity.js"
import { type AnyModel, allModels } from "./model.js"

const BLOCKING = new Set(["protect", "restrict", "noAction"])

interface Blocker {
  field: string
  onDelete: string
  table: string
  column: string
}

/** Foreign keys of every model that point at `m` and refuse to let its rows go. */
function blockers(m: AnyModel): Blocker[] {
  const out: Blocker[] = []
  for (const o of allModels()) {
    for (const [key, f] of Object.entries(o.fields)) {
      if (!(f instanceof ForeignKeyField)) continue
      let col: ReturnType<typeof o.meta.findColumn>
      try {
        col = o.meta.findColumn(`${key}Id`)
      } catch {
        continue // a model whose relations cannot resolve cannot reference m
      }
      const ref = col?.references
      if (col === undefined || ref?.model !== m || !BLOCKING.has(ref.onDelete)) continue
      out.push({
        field: `${o.name}.${key}`,
        onDelete: ref.onDelete,
        table: o.meta.table,
        column: col.column,
      })
    }
  }
  return out
}

/**
 * Maps a foreign-key violation raised by deleting rows of `m` to
 * `TRUSS_ERR_ORM_PROTECTED` (the integrity error as `cause`); returns other errors as is.
 * When the database names the referencing table (PostgreSQL, MySQL), only its
 * relations are listed.
 */
export function toProtectedError(m: AnyModel, err: unknown): unknown {
  const p = integrityParams((err as { cause?: unknown } | null)?.cause ?? err)
  if (p?.kind !== "foreignKey") return err
  let found = blockers(m)
  const named = found.filter(
    (b) => b.table === p.table && (p.column === undefined || b.column === p.column),
  )
  if (named.length > 0) found = named
  if (found.length === 0) return err
  const relations = found.map(({ field, onDelete }) => ({ field, onDelete }))
  return ormErrors.PROTECTED({ model: m.name, relations }, { cause: err })
}
