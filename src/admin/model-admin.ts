/**
 * A registered model, resolved: its URL, labels, columns, search fields, filters and
 * form fields, checked against the model once at registration.
 * @module
 */
import { type AnyModel, Field, ForeignKeyField } from "../orm/index.js"
import { adminErrors } from "./errors.js"
import { type AdminField, adminField, defaultFormFields } from "./fields.js"
import { capitalize, modelLabel, modelLabels, plural } from "./naming.js"
import type {
  AdminAction,
  AdminHooks,
  Inline,
  ModelAdminOptions,
  ReadonlyFormat,
} from "./options.js"

/** A list column, resolved. */
export interface Column {
  readonly label: string
  /** The ordering key (`title`, `author.email`), or undefined when it cannot sort. */
  readonly sortKey: string | undefined
  /** The cell value of a row (foreign keys joined under their name). */
  value(row: Record<string, unknown>): unknown
  /** The field behind the column, for formatting (a related field's own field). */
  readonly field: AdminField | undefined
  /** For a foreign-key column: the related model, to name the related row. */
  readonly related: AnyModel | undefined
}

/** A form section. */
export interface Section {
  readonly title: string | undefined
  readonly description: string | undefined
  readonly fields: readonly AdminField[]
}

/** A sidebar filter's field; `distinct` offers the values the table holds. */
export interface FilterField extends AdminField {
  readonly distinct?: boolean
}

/** A registered model. */
export interface ModelAdmin {
  readonly model: AnyModel
  readonly app: string
  readonly slug: string
  readonly label: string
  readonly labelPlural: string
  readonly columns: readonly Column[]
  readonly links: ReadonlySet<number>
  /** Foreign keys the list joins (`selectRelated`). */
  readonly joins: readonly string[]
  readonly search: readonly string[]
  readonly filters: readonly FilterField[]
  readonly ordering: readonly string[]
  readonly perPage: number
  readonly sections: readonly Section[]
  readonly readonly: ReadonlySet<string>
  readonly inlines: readonly Inline[]
  readonly actions: readonly AdminAction<AnyModel>[]
  readonly hooks: AdminHooks<AnyModel>
  /** Whether rows may be added and edited in a form. */
  readonly editable: boolean
  readonly summary: ModelAdminOptions<AnyModel>["summary"]
  readonly formats: Readonly<Record<string, ReadonlyFormat<AnyModel>>>
  display(row: Record<string, unknown>): string
}

function known(m: AnyModel): string {
  return ["id", ...Object.keys(m.fields)].join(", ")
}

function fieldOrThrow(m: AnyModel, option: string, name: string): AdminField {
  const f = adminField(m, name)
  if (f === undefined) {
    throw adminErrors.UNKNOWN_FIELD({ model: m.name, option, field: name, known: known(m) })
  }
  return f
}

/** The default name of a row: its first string field, else `Label #id`. */
export function defaultDisplay(m: AnyModel): (row: Record<string, unknown>) => string {
  const label = capitalize(modelLabel(m))
  const first = Object.entries(m.fields).find(
    ([, f]) => f instanceof Field && ["string", "email", "slug", "url"].includes(f.kind),
  )?.[0]
  return (row) => {
    const v = first === undefined ? undefined : row[first]
    return typeof v === "string" && v !== "" ? v : `${label} #${String(row.id)}`
  }
}

const ID_FIELD: AdminField = {
  name: "id",
  key: "id",
  label: "ID",
  help: undefined,
  relation: "none",
  kind: "id",
  widget: "number",
  nullable: false,
  required: false,
  choices: undefined,
  maxLength: undefined,
  target: undefined,
}

function pathColumn(m: AnyModel, path: string, joins: Set<string>): Column {
  if (path === "id") {
    return { label: "ID", sortKey: "id", value: (r) => r.id, field: ID_FIELD, related: undefined }
  }
  const dot = path.indexOf(".")
  if (dot < 0) {
    const f = fieldOrThrow(m, "list", path)
    if (f.relation === "m2m") {
      throw adminErrors.INVALID_OPTION({
        model: m.name,
        option: "list",
        reason: `names the many-to-many field "${path}"; use a computed column for it`,
      })
    }
    if (f.relation === "fk") {
      joins.add(path)
      return {
        label: f.label,
        sortKey: `${path}Id`,
        value: (r) => r[path],
        field: f,
        related: f.target,
      }
    }
    return { label: f.label, sortKey: path, value: (r) => r[path], field: f, related: undefined }
  }
  const rel = path.slice(0, dot)
  const sub = path.slice(dot + 1)
  const fk = fieldOrThrow(m, "list", rel)
  if (fk.relation !== "fk" || fk.target === undefined) {
    throw adminErrors.INVALID_OPTION({
      model: m.name,
      option: "list",
      reason: `names "${path}", but "${rel}" is not a foreign key`,
    })
  }
  const target = fk.target
  const f = sub === "id" ? ID_FIELD : fieldOrThrow(target, "list", sub)
  joins.add(rel)
  return {
    label: `${fk.label} ${f.label.toLowerCase()}`,
    sortKey: path,
    value: (r) => (r[rel] as Record<string, unknown> | null | undefined)?.[sub],
    field: f,
    related: undefined,
  }
}

function columnsOf(
  m: AnyModel,
  list: ModelAdminOptions<AnyModel>["list"],
  joins: Set<string>,
): Column[] {
  const entries = list ?? [
    "id",
    ...defaultFormFields(m)
      .filter((n) => adminField(m, n)?.relation !== "m2m")
      .slice(0, 4),
  ]
  return entries.map((entry) => {
    if (typeof entry === "string") return pathColumn(m, entry, joins)
    const sortKey =
      entry.sortBy === undefined ? undefined : pathColumn(m, entry.sortBy, joins).sortKey
    return {
      label: entry.label,
      sortKey,
      value: (r: Record<string, unknown>) => entry.value(r as never),
      field: undefined,
      related: undefined,
    }
  })
}

function checkSearch(m: AnyModel, search: readonly string[]): void {
  for (const path of search) {
    const [head, sub] = path.split(".", 2) as [string, string | undefined]
    const f = fieldOrThrow(m, "search", head)
    const target = sub === undefined ? f : f.target && fieldOrThrow(f.target, "search", sub)
    if (target === undefined || target.relation !== "none") {
      throw adminErrors.INVALID_OPTION({
        model: m.name,
        option: "search",
        reason: `names "${path}", which is not a text field`,
      })
    }
  }
}

function sectionsOf(m: AnyModel, o: ModelAdminOptions<AnyModel>): Section[] {
  if (o.fieldsets) {
    return o.fieldsets.map((s) => ({
      title: s.title,
      description: s.description,
      fields: s.fields.map((n) => fieldOrThrow(m, "fieldsets", n)),
    }))
  }
  const names = o.fields ?? defaultFormFields(m)
  return [
    {
      title: undefined,
      description: undefined,
      fields: names.map((n) => fieldOrThrow(m, "fields", n)),
    },
  ]
}

const FILTERABLE = new Set(["boolean", "enum", "date", "datetime"])
const TEXT_KINDS = new Set(["string", "email", "slug", "url", "text"])

function filterOf(m: AnyModel, entry: NonNullable<ModelAdminOptions<AnyModel>["filters"]>[number]) {
  const name = typeof entry === "string" ? entry : entry.field
  const f: FilterField = fieldOrThrow(m, "filters", name)
  if (typeof entry !== "string") {
    if (f.relation !== "none" || !TEXT_KINDS.has(f.kind)) {
      throw adminErrors.INVALID_OPTION({
        model: m.name,
        option: "filters",
        reason: `names "${name}" with values; those filters work on text fields`,
      })
    }
    return entry.choices === undefined
      ? { ...f, distinct: true }
      : { ...f, choices: [...entry.choices] }
  }
  if (f.relation !== "fk" && !f.choices && !FILTERABLE.has(f.kind)) {
    throw adminErrors.INVALID_OPTION({
      model: m.name,
      option: "filters",
      reason: `names "${name}"; filters work on booleans, choices, enums, dates and foreign keys`,
    })
  }
  return f
}

/** Resolves and checks the options of `admin.register(m, options)`. */
export function resolveModelAdmin(m: AnyModel, o: ModelAdminOptions<AnyModel> = {}): ModelAdmin {
  const named = modelLabels(m)
  const app = o.app ?? named.app
  const label = o.label ?? modelLabel(m)
  const slug = o.label === undefined ? named.slug : o.label.replace(/[^a-z0-9]/gi, "").toLowerCase()
  if (!/^[a-z][a-z0-9_]*$/i.test(app) || slug === "") {
    throw adminErrors.INVALID_OPTION({
      model: m.name,
      option: o.label === undefined ? "app" : "app or label",
      reason: "must start with a letter and hold letters, digits and _ (the URL segment)",
    })
  }
  for (const name of Object.keys(o.formats ?? {})) fieldOrThrow(m, "formats", name)
  const joins = new Set<string>()
  const columns = columnsOf(m, o.list, joins)
  checkSearch(m, o.search ?? [])
  const filters = (o.filters ?? []).map((entry) => filterOf(m, entry))
  for (const key of o.ordering ?? []) pathColumn(m, key.replace(/^-/, ""), new Set())
  const readonlyFields = new Set<string>(o.readonly ?? [])
  for (const name of readonlyFields) fieldOrThrow(m, "readonly", name)
  for (const [name, f] of Object.entries(m.fields)) {
    if (f instanceof Field && f.options.autoNow) readonlyFields.add(name)
  }
  const sections = sectionsOf(m, o)
  const perPage = o.perPage ?? 50
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 1000) {
    throw adminErrors.INVALID_OPTION({
      model: m.name,
      option: "perPage",
      reason: "must be an integer from 1 to 1000",
    })
  }
  for (const a of o.actions ?? []) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(a.name) || a.name === "delete_selected") {
      throw adminErrors.INVALID_OPTION({
        model: m.name,
        option: "actions",
        reason: `has the name "${a.name}"; use letters, digits and _ (delete_selected is built in)`,
      })
    }
  }
  for (const inline of o.inlines ?? []) inlineFk(m, inline)
  const display = o.display as ((row: Record<string, unknown>) => string) | undefined
  return {
    model: m,
    app,
    slug,
    label,
    labelPlural: plural(label),
    columns,
    links: new Set(o.listLinks ?? [0]),
    joins: [...joins],
    search: o.search ?? [],
    filters,
    ordering: o.ordering ?? (m.options.ordering?.length ? m.options.ordering : ["-id"]),
    perPage,
    sections,
    readonly: readonlyFields,
    inlines: o.inlines ?? [],
    actions: (o.actions ?? []) as readonly AdminAction<AnyModel>[],
    hooks: (o.hooks ?? {}) as AdminHooks<AnyModel>,
    editable: o.editable ?? true,
    summary: o.summary,
    formats: (o.formats ?? {}) as Record<string, ReadonlyFormat<AnyModel>>,
    display: display ?? defaultDisplay(m),
  }
}

/** The foreign key of an inline's model that points at `parent`. */
export function inlineFk(parent: AnyModel, inline: Inline): string {
  const child = inline.model
  const fks = Object.entries(child.fields)
    .filter(([, f]) => f instanceof ForeignKeyField)
    .map(([k]) => k)
    .filter((k) => child.meta.column(`${k}Id`).references?.model === parent)
  const fk = inline.options.fk ?? (fks.length === 1 ? fks[0] : undefined)
  if (fk === undefined || !fks.includes(fk)) {
    throw adminErrors.INVALID_OPTION({
      model: parent.name,
      option: "inlines",
      reason: `needs fk naming the foreign key of ${child.name} that points at ${parent.name} (one of: ${fks.join(", ") || "none"})`,
    })
  }
  return fk
}
