/**
 * The set of every model defined so far, kept apart from `model.ts` so reverse
 * relations and integrity checks can read it without importing the factory.
 * @module
 */
import type { AnyModel } from "./model.js"

const registry = new Set<AnyModel>()

/** Every model defined so far, used to resolve reverse relations. */
export function allModels(): ReadonlySet<AnyModel> {
  return registry
}

/** Records a newly defined model. */
export function registerModel(m: AnyModel): void {
  registry.add(m)
}
