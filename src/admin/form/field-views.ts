/**
 * The template data of a form's fields: input name, id, widget, value, options of a
 * select, errors and help.
 * @module
 */
import type { AnyModel, Database } from "../../orm/index.js"
import { cellOf, inputValue } from "../display.js"
import type { AdminField } from "../fields.js"
import type { Section } from "../model-admin.js"

/** Names the rows of a related model. */
export type Namer = (m: AnyModel) => (row: Record<string, unknown>) => string

/** At most this many rows are offered by a foreign-key select or many-to-many boxes. */
export const MAX_OPTIONS = 1000

/** How widgets name related rows and when a foreign key becomes a search box. */
export interface WidgetContext {
  readonly name: Namer
  /** The lookup URL of a registered model the user may view, else undefined. */
  lookup(m: AnyModel): string | undefined
  /** A foreign key to a model with more rows than this is a search box, not a select. */
  readonly autocompleteAbove: number
}

async function optionsOf(db: Database, target: AnyModel, name: Namer) {
  const rows = (await db.query(target).limit(MAX_OPTIONS).all()) as Record<string, unknown>[]
  const label = name(target)
  return rows.map((r) => ({ value: String(r.id), label: label(r) }))
}

/** One field's view. */
export interface FieldView {
  readonly name: string
  readonly id: string
  readonly label: string
  readonly help: string | undefined
  readonly widget: string
  /** For a foreign key searched on the server: the lookup URL. */
  readonly lookup: string | undefined
  readonly required: boolean
  readonly readonly: boolean
  readonly value: string
  readonly checked: boolean
  readonly display: string
  readonly options: { value: string; label: string; selected: boolean }[]
  readonly errors: readonly string[]
  readonly maxLength: number | undefined
  readonly step: string | undefined
}

const STEPS: Record<string, string> = {
  integer: "1",
  bigint: "1",
  float: "any",
  time: "1",
  datetime: "1",
}

/**
 * Views of `sections` for a row's stored `values` (or what was typed, after errors).
 * @param typed - What the user sent, which wins over `values` for editable fields.
 */
export async function sectionViews(
  db: Database,
  sections: readonly Section[],
  values: Record<string, unknown>,
  typed: Record<string, string | string[]> | undefined,
  errors: Record<string, string[]>,
  readonlyFields: ReadonlySet<string>,
  widgets: WidgetContext,
  prefix = "",
) {
  const cache = new Map<AnyModel, { value: string; label: string }[] | string>()
  // A large related table gets a search box (its lookup URL) instead of every row.
  const opts = async (t: AnyModel, many: boolean) => {
    let o = cache.get(t)
    if (o === undefined) {
      const url = many ? undefined : widgets.lookup(t)
      const large = url !== undefined && (await db.query(t).count()) > widgets.autocompleteAbove
      o = large && url ? url : await optionsOf(db, t, widgets.name)
      cache.set(t, o)
    }
    return o
  }
  const named = async (t: AnyModel, id: string) => {
    const row =
      id === ""
        ? undefined
        : await db
            .query(t)
            .filter({ id: /^\d+$/.test(id) ? Number(id) : id } as never)
            .first()
    return row ? widgets.name(t)(row as Record<string, unknown>) : ""
  }
  const out = []
  for (const s of sections) {
    const fields: FieldView[] = []
    for (const f of s.fields)
      fields.push(
        await fieldView(f, values, typed, errors, readonlyFields.has(f.name), opts, named, prefix),
      )
    out.push({ title: s.title, description: s.description, fields })
  }
  return out
}

async function fieldView(
  f: AdminField,
  values: Record<string, unknown>,
  typed: Record<string, string | string[]> | undefined,
  errors: Record<string, string[]>,
  readonly: boolean,
  opts: (t: AnyModel, many: boolean) => Promise<{ value: string; label: string }[] | string>,
  named: (t: AnyModel, id: string) => Promise<string>,
  prefix: string,
): Promise<FieldView> {
  const stored = values[f.key]
  const sent = readonly ? undefined : typed?.[f.key]
  const value = sent === undefined ? inputValue(stored, f) : Array.isArray(sent) ? "" : sent
  let options: FieldView["options"] = []
  let display = cellOf(stored, f).text
  let lookup: string | undefined
  const found =
    f.target && (f.relation === "fk" || f.relation === "m2m")
      ? await opts(f.target, f.relation === "m2m")
      : []
  if (typeof found === "string" && f.target) {
    lookup = found
    display = (await named(f.target, value)) || "—"
  } else if (f.relation === "fk" || f.relation === "m2m") {
    const all = found as { value: string; label: string }[]
    const chosen = new Set(
      f.relation === "m2m"
        ? ((sent as string[] | undefined) ?? (stored as unknown[] | undefined)?.map(String) ?? [])
        : [value],
    )
    options = all.map((o) => ({ ...o, selected: chosen.has(o.value) }))
    display =
      options
        .filter((o) => o.selected)
        .map((o) => o.label)
        .join(", ") || "—"
  } else if (f.choices) {
    options = f.choices.map((ch) => ({
      value: String(ch),
      label: String(ch),
      selected: String(ch) === value,
    }))
  }
  return {
    name: `${prefix}${f.key}`,
    id: `id_${prefix}${f.key}`,
    label: f.label,
    help: f.help,
    widget: lookup ? "autocomplete" : f.widget,
    lookup,
    required: f.required,
    readonly,
    value,
    checked: sent === undefined ? stored === true : sent === "on",
    display,
    options,
    errors: errors[f.key] ?? [],
    maxLength: f.maxLength,
    step: STEPS[String(f.kind)],
  }
}
