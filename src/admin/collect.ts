/**
 * What deleting rows takes with it, found from the models' metadata before anything is
 * deleted: the rows that cascade (followed through their own cascades), the foreign
 * keys that are set to NULL, and the relations that protect rows and block the delete.
 * @module
 */
import { type AnyModel, allModels, type Database, ForeignKeyField } from "../orm/index.js"
import { defaultDisplay } from "./model-admin.js"
import { capitalize, modelLabel, plural } from "./naming.js"

/** Rows of one model reached through one relation. */
export interface Affected {
  readonly model: AnyModel
  readonly label: string
  readonly via: string
  readonly count: number
  /** A few of them by name. */
  readonly names: readonly string[]
}

/** What deleting some rows does. */
export interface Collected {
  readonly cascades: readonly Affected[]
  readonly nulled: readonly Affected[]
  readonly protectedBy: readonly Affected[]
}

const SAMPLE = 10
const MAX_DEPTH = 6

interface Ref {
  readonly model: AnyModel
  readonly key: string
  readonly onDelete: string
}

function referencing(m: AnyModel): Ref[] {
  const out: Ref[] = []
  for (const o of allModels()) {
    for (const [name, f] of Object.entries(o.fields)) {
      if (!(f instanceof ForeignKeyField)) continue
      const col = o.meta.findColumn(`${name}Id`)
      if (col?.references?.model !== m) continue
      out.push({ model: o, key: col.key, onDelete: col.references.onDelete })
    }
  }
  return out
}

/**
 * Collects what deleting the rows `ids` of `m` affects.
 * @param display - Names a row of a model (the admin's `display`, else the default).
 */
export async function collectDeletion(
  db: Database,
  m: AnyModel,
  ids: readonly unknown[],
  display: (model: AnyModel) => (row: Record<string, unknown>) => string,
): Promise<Collected> {
  const cascades: Affected[] = []
  const nulled: Affected[] = []
  const protectedBy: Affected[] = []
  const seen = new Set<string>()
  const walk = async (model: AnyModel, keys: readonly unknown[], depth: number) => {
    if (keys.length === 0 || depth > MAX_DEPTH) return
    for (const ref of referencing(model)) {
      const qs = db.query(ref.model).filter({ [ref.key]: { in: keys } } as never)
      const rows = (await qs.all()) as Record<string, unknown>[]
      const fresh = rows.filter((r) => !seen.has(`${ref.model.name}:${String(r.id)}`))
      if (fresh.length === 0) continue
      const name = ref.model.options.autoCreated ? undefined : display(ref.model)
      const affected: Affected = {
        model: ref.model,
        label: ref.model.options.autoCreated
          ? `${capitalize(modelLabel(ref.model))} links`
          : capitalize(plural(modelLabel(ref.model))),
        via: ref.key.replace(/Id$/, ""),
        count: fresh.length,
        names: name ? fresh.slice(0, SAMPLE).map(name) : [],
      }
      if (ref.onDelete === "cascade") {
        for (const r of fresh) seen.add(`${ref.model.name}:${String(r.id)}`)
        cascades.push(affected)
        await walk(
          ref.model,
          fresh.map((r) => r.id),
          depth + 1,
        )
      } else if (ref.onDelete === "setNull") {
        nulled.push(affected)
      } else {
        protectedBy.push(affected)
      }
    }
  }
  await walk(m, ids, 0)
  return { cascades, nulled, protectedBy }
}

/** The default row namer for models the admin has not registered. */
export function fallbackDisplay(m: AnyModel): (row: Record<string, unknown>) => string {
  return defaultDisplay(m)
}
