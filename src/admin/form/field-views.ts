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
  name: Namer,
  prefix = "",
) {
  const cache = new Map<AnyModel, { value: string; label: string }[]>()
  const opts = async (t: AnyModel) => {
    let o = cache.get(t)
    if (o === undefined) {
      o = await optionsOf(db, t, name)
      cache.set(t, o)
    }
    return o
  }
  const out = []
  for (const s of sections) {
    const fields: FieldView[] = []
    for (const f of s.fields)
      fields.push(
        await fieldView(f, values, typed, errors, readonlyFields.has(f.name), opts, prefix),
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
  opts: (t: AnyModel) => Promise<{ value: string; label: string }[]>,
  prefix: string,
): Promise<FieldView> {
  const stored = values[f.key]
  const sent = readonly ? undefined : typed?.[f.key]
  const value = sent === undefined ? inputValue(stored, f) : Array.isArray(sent) ? "" : sent
  let options: FieldView["options"] = []
  let display = cellOf(stored, f).text
  if (f.relation === "fk" || f.relation === "m2m") {
    const all = f.target ? await opts(f.target) : []
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
    widget: f.widget,
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
