/**
 * The set of every model defined so far, kept apart from `model.ts` so reverse
 * relations and integrity checks can read it without importing the factory.
 * @module
 */
import type { AnyModel } from "./model.js"

const registry = new Set<AnyModel>()

/**
 * Every model defined so far in this process (reverse relations, permissions).
 * @example
 * ```ts
 * import { allModels, field, model } from "truss/orm"
 * const Note = model("note", { text: field.text() })
 * allModels().has(Note) // true
 * ```
 */
export function allModels(): ReadonlySet<AnyModel> {
  return registry
}

/** Records a newly defined model. */
export function registerModel(m: AnyModel): void {
  registry.add(m)
}
