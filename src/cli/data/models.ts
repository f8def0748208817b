/**
 * Which tables a dump holds and in what order: the config's models plus their
 * automatic many-to-many tables, each after the models it references, so loading the
 * dump in file order never points a foreign key at a missing row.
 * @module
 */
import type { AnyModel } from "../../orm/index.js"
import { cliErrors } from "../errors.js"

/** The models with their many-to-many through tables, referenced models first. */
export function dumpOrder(models: readonly AnyModel[]): AnyModel[] {
  const all: AnyModel[] = []
  const add = (m: AnyModel) => {
    if (!all.some((x) => x.name === m.name)) all.push(m)
  }
  for (const m of models) add(m)
  for (const m of models) for (const r of m.meta.manyToMany) if (r.through) add(r.through.model)
  const ordered: AnyModel[] = []
  const placed = new Set<string>()
  while (ordered.length < all.length) {
    const ready = all.filter(
      (m) =>
        !placed.has(m.name) &&
        m.meta.columns.every(
          (c) =>
            !c.references ||
            c.references.model.name === m.name ||
            placed.has(c.references.model.name) ||
            !all.some((x) => x.name === c.references?.model.name),
        ),
    )
    // A cycle between models: take the next one as declared (the rows still load when
    // the database checks foreign keys at commit, or the keys are nullable and set later).
    const next = ready.length > 0 ? ready : all.filter((m) => !placed.has(m.name)).slice(0, 1)
    for (const m of next) {
      placed.add(m.name)
      ordered.push(m)
    }
  }
  return ordered
}

/** The models named on the command line, or all; throws TRUSS_ERR_CLI_UNKNOWN_MODEL. */
export function pickModels(all: readonly AnyModel[], names: readonly string[]): AnyModel[] {
  if (names.length === 0) return [...all]
  return names.map((name) => {
    const found = all.find((m) => m.name === name)
    if (!found)
      throw cliErrors.UNKNOWN_MODEL({ name, known: all.map((m) => m.name).join(", ") || "(none)" })
    return found
  })
}
