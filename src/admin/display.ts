/**
 * How values show on admin pages (as text; the templates escape it) and in the form's
 * inputs.
 * @module
 */
import type { AdminField } from "./fields.js"

/** A cell: text, a yes/no mark, or empty. */
export interface Cell {
  readonly text: string
  /** `"yes"`, `"no"` or `"empty"` for marks; `"text"` otherwise. */
  readonly kind: "text" | "yes" | "no" | "empty"
}

function iso(d: Date): string {
  return d.toISOString().replace("T", " ").slice(0, 16)
}

/** The text of a value for lists, history and read-only fields. */
export function cellOf(value: unknown, f?: AdminField): Cell {
  if (value === null || value === undefined) return { text: "—", kind: "empty" }
  if (typeof value === "boolean") return { text: value ? "Yes" : "No", kind: value ? "yes" : "no" }
  if (value instanceof Date) return { text: `${iso(value)} UTC`, kind: "text" }
  if (value instanceof Uint8Array) return { text: `${value.byteLength} bytes`, kind: "text" }
  if (f?.kind === "json" || (typeof value === "object" && value !== null)) {
    const text = JSON.stringify(value)
    return { text: text.length > 120 ? `${text.slice(0, 119)}…` : text, kind: "text" }
  }
  const text = String(value)
  return { text: text.length > 200 ? `${text.slice(0, 199)}…` : text, kind: "text" }
}

/** The text of a value for a change diff in the log. */
export function diffText(value: unknown): string {
  if (value === null || value === undefined) return ""
  if (value instanceof Date) return value.toISOString()
  if (typeof value === "object") return JSON.stringify(value)
  return String(value)
}

/** The value an input shows for a stored value. */
export function inputValue(value: unknown, f: AdminField): string {
  if (value === null || value === undefined) return ""
  if (f.widget === "datetime" && value instanceof Date) return value.toISOString().slice(0, 19)
  if (f.widget === "json") return JSON.stringify(value, null, 2)
  if (value instanceof Date) return value.toISOString()
  return String(value)
}
