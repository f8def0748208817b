/**
 * Reverse relations: the other side of a foreign key or many-to-many field, named by
 * the field's `relatedName` or declared on the target with `field.reverse()`.
 * @module
 */

import { ormErrors } from "./errors.js"
import { ForeignKeyField, ManyToManyField, ReverseField } from "./fields/relations.js"
import type { RelationMeta } from "./meta.js"
import type { AnyModel } from "./model.js"
import { allModels } from "./registry.js"

type RelationField = ForeignKeyField | ManyToManyField

function resolve(m: AnyModel, ref: unknown): AnyModel | undefined {
  if (ref === "self") return m
  if (typeof ref !== "function") return undefined
  const to: unknown = ref()
  return allModels().has(to as AnyModel) ? (to as AnyModel) : undefined
}

function invalid(m: AnyModel, key: string, reason: string): Error {
  return ormErrors.INVALID_MODEL({ model: m.name, reason: `reverse field "${key}" ${reason}` })
}

/**
 * Checks a declared reverse field against the relation it names and returns that
 * relation's model and field.
 * @throws TRUSS_ERR_ORM_INVALID_MODEL when the target is not a model, the named field is
 * not a relation to `m`, its `relatedName` differs from `key`, or another relation to
 * `m` has `key` as its `relatedName`.
 */
export function checkReverse(
  m: AnyModel,
  key: string,
  f: ReverseField,
): { other: AnyModel; field: RelationField } {
  const other = resolve(m, f.target)
  if (!other) throw invalid(m, key, 'needs a model: write field.reverse(() => Model, "field")')
  const rf = other.fields[f.via]
  const candidates = Object.entries(other.fields)
    .filter(([, x]) => isRelation(x) && pointsAt(other, x, m))
    .map(([k]) => k)
  const hint = candidates.length
    ? `; relations of ${other.name} to ${m.name}: ${candidates.join(", ")}`
    : `; ${other.name} has no relation to ${m.name}`
  if (!isRelation(rf)) {
    throw invalid(m, key, `names ${other.name}.${f.via}, which is not a relation field${hint}`)
  }
  if (!pointsAt(other, rf, m)) {
    throw invalid(m, key, `names ${other.name}.${f.via}, which does not point at ${m.name}${hint}`)
  }
  const named = rf.options.relatedName
  if (named !== undefined && named !== key) {
    throw invalid(
      m,
      key,
      `names ${other.name}.${f.via}, whose relatedName is "${named}": rename one to match`,
    )
  }
  for (const o of allModels()) {
    for (const [k, x] of Object.entries(o.fields)) {
      if (!isRelation(x) || x.options.relatedName !== key || (o === other && k === f.via)) continue
      if (pointsAt(o, x, m)) {
        throw invalid(m, key, `clashes with the relatedName of ${o.name}.${k}: rename one of them`)
      }
    }
  }
  return { other, field: rf }
}

function isRelation(f: unknown): f is RelationField {
  return f instanceof ForeignKeyField || f instanceof ManyToManyField
}

function pointsAt(other: AnyModel, f: RelationField, m: AnyModel): boolean {
  try {
    return resolve(other, f.target) === m
  } catch {
    return false // a thunk whose module is not loaded yet cannot point at m
  }
}

function relationOf(
  other: AnyModel,
  key: string,
  f: RelationField,
  name: string,
): RelationMeta | undefined {
  if (f instanceof ForeignKeyField) {
    return {
      name,
      type: "reverse",
      many: f.kind === "foreignKey",
      target: other,
      localColumn: "id",
      targetColumn: other.meta.column(`${key}Id`).column,
    }
  }
  const rel = other.meta.relation(key)
  if (!rel?.through) return undefined
  return {
    name,
    type: "manyToMany",
    many: true,
    target: other,
    localColumn: "id",
    targetColumn: "id",
    through: { model: rel.through.model, source: rel.through.target, target: rel.through.source },
  }
}

/** The reverse relations of `m`: declared `field.reverse()` fields, then `relatedName`s. */
export function reverseRelations(m: AnyModel): Map<string, RelationMeta> {
  const out = new Map<string, RelationMeta>()
  for (const other of allModels()) {
    for (const [key, f] of Object.entries(other.fields)) {
      if (!isRelation(f)) continue
      const name = f.options.relatedName
      if (!name || !pointsAt(other, f, m)) continue
      const rel = relationOf(other, key, f, name)
      if (rel) out.set(name, rel)
    }
  }
  // Declared fields last: checkReverse() has already ruled out clashes with relatedNames.
  for (const [key, f] of Object.entries(m.fields)) {
    if (!(f instanceof ReverseField)) continue
    const { other, field } = checkReverse(m, key, f)
    const rel = relationOf(other, f.via, field, key)
    if (rel) out.set(key, rel)
  }
  return out
}
