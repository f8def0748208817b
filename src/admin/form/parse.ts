/**
 * Reads a submitted admin form: only the editable fields (never the primary key, a
 * read-only field or one not on the form, so a crafted POST cannot set them), each
 * turned from text into its field's value, with a message per field that is wrong.
 * @module
 */
import type { AdminField } from "../fields.js"

/** What a submitted form gave. */
export interface ParsedForm {
  /** Values for `create()` / `save()`, by row key. */
  readonly values: Record<string, unknown>
  /** Many-to-many ids, by field name. */
  readonly links: Record<string, unknown[]>
  /** Messages by input name (row key). */
  readonly errors: Record<string, string[]>
  /** What was typed, to fill the form again. */
  readonly typed: Record<string, string | string[]>
}

const TRUE = new Set(["on", "true", "1", "yes"])
const REQUIRED = "This field is required."

function idOf(raw: string, f: AdminField): unknown {
  if (f.kind === "uuid" || f.kind === "uuidId") return raw
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
}

/** Turns one text value into the field's value, or returns an error message. */
function convert(
  raw: string,
  f: AdminField,
): { value: unknown } | { error: string } | { omit: true } {
  const text = f.widget === "textarea" || f.widget === "json" ? raw : raw.trim()
  if (text === "") {
    if (f.nullable) return { value: null }
    if (f.required) return { error: REQUIRED }
    if (f.kind === "string" || f.kind === "text") return { value: "" }
    return { omit: true } // the field's default applies
  }
  switch (f.kind) {
    case "integer":
    case "bigint":
    case "float": {
      const n = Number(text)
      if (!Number.isFinite(n) || !/^-?\d*\.?\d+(e[-+]?\d+)?$/i.test(text))
        return { error: "Enter a number." }
      if (f.kind !== "float" && !Number.isInteger(n)) return { error: "Enter a whole number." }
      return { value: f.kind === "bigint" ? BigInt(text) : n }
    }
    case "decimal":
      return /^-?\d+(\.\d+)?$/.test(text) ? { value: text } : { error: "Enter a number." }
    case "datetime": {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2})?)$/.exec(text)
      const d = m ? new Date(`${m[1]}T${m[2]}${m[3] ? "" : ":00"}Z`) : undefined
      return d && !Number.isNaN(d.getTime())
        ? { value: d }
        : { error: "Enter a valid date and time." }
    }
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))
        ? { value: text }
        : { error: "Enter a valid date." }
    case "time":
      return /^\d{2}:\d{2}(:\d{2})?$/.test(text)
        ? { value: text.length === 5 ? `${text}:00` : text }
        : { error: "Enter a valid time." }
    case "json":
      try {
        return { value: JSON.parse(text) as unknown }
      } catch {
        return { error: "Enter valid JSON." }
      }
    default:
      break
  }
  if (f.relation === "fk") {
    const id = idOf(text, f)
    return id === undefined ? { error: "Select a valid choice." } : { value: id }
  }
  if (f.choices && !f.choices.some((c) => String(c) === text))
    return { error: "Select a valid choice." }
  return { value: f.choices?.find((c) => String(c) === text) ?? text }
}

/**
 * Parses `data` for `fields` (the editable ones).
 * @param prefix - Input-name prefix, for inline rows (`lines-0-`).
 */
export async function parseForm(
  data: FormData,
  fields: readonly AdminField[],
  prefix = "",
): Promise<ParsedForm> {
  const values: Record<string, unknown> = {}
  const links: Record<string, unknown[]> = {}
  const errors: Record<string, string[]> = {}
  const typed: Record<string, string | string[]> = {}
  for (const f of fields) {
    const name = `${prefix}${f.key}`
    if (f.widget === "checkbox") {
      const all = data.getAll(name).map(String)
      values[f.key] = all.length > 0 && TRUE.has(all.at(-1) ?? "")
      typed[f.key] = values[f.key] ? "on" : ""
      continue
    }
    if (f.relation === "m2m") {
      const raw = data.getAll(name).map(String)
      typed[f.key] = raw
      const ids = raw.map((r) =>
        idOf(r, f.target?.options.primaryKey === "uuid" ? { ...f, kind: "uuid" } : f),
      )
      if (ids.some((id) => id === undefined)) errors[f.key] = ["Select valid choices."]
      else links[f.key] = ids
      continue
    }
    if (f.widget === "file") {
      // An empty file input keeps the stored bytes, like Django's FileField.
      const file = data.get(name)
      if (file instanceof File && file.size > 0)
        values[f.key] = new Uint8Array(await file.arrayBuffer())
      continue
    }
    const entry = data.get(name)
    const raw = typeof entry === "string" ? entry : ""
    typed[f.key] = raw
    const result = convert(raw, f)
    if ("error" in result) errors[f.key] = [result.error]
    else if ("value" in result) values[f.key] = result.value
  }
  return { values, links, errors, typed }
}
