/**
 * Resolved model metadata: columns, primary key, relations (forward, reverse and
 * many-to-many). Resolved lazily because relation targets are thunks.
 * @module
 */

import { ormErrors } from "./errors.js"
import { Field, type FieldKind, type ResolvedFieldOptions } from "./fields/field.js"
import {
  ForeignKeyField,
  ManyToManyField,
  type OnDelete,
  ReverseField,
} from "./fields/relations.js"
import type { AnyModel, ConstraintOptions, ModelOptions } from "./model.js"
import { snakeCase } from "./naming.js"
import { checkReverse, reverseRelations } from "./reverse.js"
import type { FieldMap } from "./types.js"

/** A column of a model's table. */
export interface ColumnMeta {
  /** Key in rows and input, e.g. `authorId`. */
  readonly key: string
  /** Column name, e.g. `author_id`. */
  readonly column: string
  /** Value kind; a foreign key takes the kind of the key it references. */
  readonly kind: FieldKind
  readonly options: Readonly<ResolvedFieldOptions>
  readonly nullable: boolean
  readonly primaryKey: boolean
  /** Set on foreign-key columns. */
  readonly references?: { readonly model: AnyModel; readonly onDelete: OnDelete }
}

/** A relation, seen from one model. */
export interface RelationMeta {
  readonly name: string
  /** `forward`: this row points at one target; `reverse`: targets point at this row; `manyToMany`. */
  readonly type: "forward" | "reverse" | "manyToMany"
  /** True when the relation yields many rows. */
  readonly many: boolean
  readonly target: AnyModel
  /** Column on this model's table used to join. */
  readonly localColumn: string
  /** Column on the target (or through) table used to join. */
  readonly targetColumn: string
  /** For many-to-many: the through model and its two columns. */
  readonly through?: { readonly model: AnyModel; readonly source: string; readonly target: string }
}

/** Everything the query compiler and migrations need to know about a model. */
export interface ModelMeta {
  readonly name: string
  readonly table: string
  readonly pk: ColumnMeta
  readonly columns: readonly ColumnMeta[]
  readonly ordering: readonly string[]
  readonly indexes: readonly { name: string; columns: string[]; unique: boolean }[]
  readonly constraints: readonly ConstraintOptions[]
  /** Column by row key or field name; throws TRUSS_ERR_ORM_UNKNOWN_FIELD. */
  column(key: string): ColumnMeta
  /** Column by row key, or undefined. */
  findColumn(key: string): ColumnMeta | undefined
  /** Relation by name (forward, reverse or many-to-many), or undefined. */
  relation(name: string): RelationMeta | undefined
  /** Many-to-many relations declared on this model. */
  readonly manyToMany: readonly RelationMeta[]
}

function target(m: AnyModel, ref: (() => AnyModel) | "self"): AnyModel {
  return ref === "self" ? m : ref()
}

function pkColumn(m: AnyModel): ColumnMeta {
  const uuid = m.options.primaryKey === "uuid"
  return {
    key: "id",
    column: "id",
    kind: uuid ? "uuidId" : "id",
    options: {},
    nullable: false,
    primaryKey: true,
  }
}

/**
 * The model factory, passed in by `model()` so this module does not import it back
 * (an implicit many-to-many through model is itself a model).
 */
export type DefineModel = (name: string, fields: FieldMap, options: ModelOptions) => AnyModel

/** Builds the metadata of a model. Called once, on first use of `model.meta`. */
export function resolveMeta(m: AnyModel, define: DefineModel): ModelMeta {
  const table = m.options.table ?? snakeCase(m.name)
  const pk = pkColumn(m)
  const columns: ColumnMeta[] = [pk]
  const forward = new Map<string, RelationMeta>()
  const m2mFields: [string, ManyToManyField][] = []
  const indexes: { name: string; columns: string[]; unique: boolean }[] = []
  for (const [key, f] of Object.entries(m.fields)) {
    if (f instanceof Field) {
      const column = f.options.dbColumn ?? snakeCase(key)
      columns.push({
        key,
        column,
        kind: f.kind,
        options: f.options,
        nullable: !!f.options.null,
        primaryKey: false,
      })
      if (f.options.unique)
        indexes.push({ name: `${table}_${column}_key`, columns: [column], unique: true })
      else if (f.options.index)
        indexes.push({ name: `${table}_${column}_idx`, columns: [column], unique: false })
    } else if (f instanceof ForeignKeyField) {
      const column = f.options.dbColumn ?? `${snakeCase(key)}_id`
      const to = target(m, f.target)
      const refKind: FieldKind = to.options.primaryKey === "uuid" ? "uuid" : "id"
      const col: ColumnMeta = {
        key: `${key}Id`,
        column,
        kind: refKind,
        options: { help: f.options.help, label: f.options.label },
        nullable: !!f.options.null,
        primaryKey: false,
        references: { model: to, onDelete: f.options.onDelete ?? "cascade" },
      }
      columns.push(col)
      if (f.kind === "oneToOne")
        indexes.push({ name: `${table}_${column}_key`, columns: [column], unique: true })
      else if (f.options.index !== false)
        indexes.push({ name: `${table}_${column}_idx`, columns: [column], unique: false })
      forward.set(key, {
        name: key,
        type: "forward",
        many: false,
        target: to,
        localColumn: column,
        targetColumn: "id",
      })
    } else if (f instanceof ManyToManyField) {
      m2mFields.push([key, f])
    } else if (f instanceof ReverseField) {
      checkReverse(m, key, f) // not a column; fails here rather than on first use
    }
  }
  for (const ix of m.options.indexes ?? []) {
    const cols = ix.fields.map((k) => findOrThrow(m.name, columns, k).column)
    const suffix = ix.unique ? "key" : "idx"
    indexes.push({
      name: ix.name ?? `${table}_${cols.join("_")}_${suffix}`,
      columns: cols,
      unique: !!ix.unique,
    })
  }
  const byKey = new Map<string, ColumnMeta>()
  for (const c of columns) byKey.set(c.key, c)
  for (const k of forward.keys())
    if (!byKey.has(k)) byKey.set(k, findOrThrow(m.name, columns, `${k}Id`))
  let m2m: RelationMeta[] | undefined
  const manyToMany = (): RelationMeta[] => {
    m2m ??= m2mFields.map(([key, f]) => throughRelation(m, table, key, f, define))
    return m2m
  }
  let reverse: Map<string, RelationMeta> | undefined
  const meta: ModelMeta = {
    name: m.name,
    table,
    pk,
    columns,
    ordering: m.options.ordering ?? [],
    indexes,
    constraints: m.options.constraints ?? [],
    column(key) {
      return findOrThrow(m.name, columns, key, byKey)
    },
    findColumn(key) {
      return byKey.get(key)
    },
    relation(name) {
      const f = forward.get(name) ?? manyToMany().find((r) => r.name === name)
      if (f) return f
      reverse ??= reverseRelations(m)
      return reverse.get(name)
    },
    get manyToMany() {
      return manyToMany()
    },
  }
  return Object.freeze(meta)
}

function findOrThrow(
  name: string,
  columns: ColumnMeta[],
  key: string,
  byKey?: Map<string, ColumnMeta>,
): ColumnMeta {
  const c = byKey ? byKey.get(key) : columns.find((x) => x.key === key)
  if (c) return c
  throw ormErrors.UNKNOWN_FIELD({
    model: name,
    field: key,
    known: columns.map((x) => x.key).join(", "),
  })
}

const throughCache = new WeakMap<ManyToManyField, AnyModel>()

function throughRelation(
  m: AnyModel,
  table: string,
  key: string,
  f: ManyToManyField,
  define: DefineModel,
): RelationMeta {
  const to = target(m, f.target)
  let through = f.options.through?.() ?? throughCache.get(f)
  if (!through) {
    const self = to === m
    const src = self ? `from_${m.name}` : m.name
    const dst = self ? `to_${to.name}` : to.name
    through = define(
      `${m.name}_${key}`,
      {
        [src]: new ForeignKeyField("foreignKey", () => m, { onDelete: "cascade" }),
        [dst]: new ForeignKeyField("foreignKey", () => to, { onDelete: "cascade" }),
      },
      {
        table: f.options.dbTable ?? `${table}_${snakeCase(key)}`,
        indexes: [{ fields: [`${src}Id`, `${dst}Id`], unique: true }],
        autoCreated: true,
      },
    )
    throughCache.set(f, through)
  }
  const tm = through.meta
  const source = tm.columns.find((c) => c.references?.model === m && c.key !== "id")
  const dest = tm.columns.find((c) => c.references?.model === to && c !== source)
  if (!source || !dest) {
    throw ormErrors.INVALID_MODEL({
      model: m.name,
      reason: `through model of "${key}" needs foreign keys to ${m.name} and ${to.name}`,
    })
  }
  return {
    name: key,
    type: "manyToMany",
    many: true,
    target: to,
    localColumn: "id",
    targetColumn: "id",
    through: { model: through, source: source.column, target: dest.column },
  }
}
