/**
 * Checks and normalizes one field value before save.
 * @module
 */
import type { ColumnMeta } from "./meta.js"

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const SLUG = /^[-a-zA-Z0-9_]+$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/
const DECIMAL = /^-?\d+(\.\d+)?$/

const TEXT_CHECKS: Partial<Record<string, [RegExp | ((s: string) => boolean), string]>> = {
  email: [EMAIL, "Must be a valid email address."],
  url: [(s) => /^https?:\/\//i.test(s) && URL.canParse(s), "Must be a valid http(s) URL."],
  slug: [SLUG, "Must contain only letters, digits, hyphens and underscores."],
  uuid: [UUID, "Must be a UUID."],
  uuidId: [UUID, "Must be a UUID."],
  date: [isDate, "Must be a date (YYYY-MM-DD)."],
  time: [isTime, "Must be a time (HH:MM[:SS])."],
}

/** A real calendar day: the regex shape, and no month 13 or February 30. */
function isDate(s: string): boolean {
  if (!DATE.test(s)) return false
  const [y, m, d] = s.split("-").map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d
}

/** A time of day from 00:00 to 23:59:59.999999. */
function isTime(s: string): boolean {
  if (!TIME.test(s)) return false
  const [h, m, sec = "0"] = s.split(":")
  return Number(h) < 24 && Number(m) < 60 && Number(sec) < 60
}

/** A rejected value, with the message for the user. */
export class Invalid {
  readonly error: string
  constructor(error: string) {
    this.error = error
  }
}

function fail(error: string): Invalid {
  return new Invalid(error)
}

/** Returns the normalized value, or an {@link Invalid} with a message for the user. */
export function checkValue(col: ColumnMeta, value: unknown): unknown {
  if (value === null) return col.nullable ? null : fail("This field cannot be null.")
  const v = coerce(col, value)
  if (v instanceof Invalid) return v
  const o = col.options
  if (o.choices && !o.choices.includes(v)) {
    return fail(`Must be one of: ${o.choices.join(", ")}.`)
  }
  if (typeof v === "number" || typeof v === "bigint") {
    if (typeof o.min === typeof v && (o.min as number) > v)
      return fail(`Must be at least ${o.min}.`)
    if (typeof o.max === typeof v && (o.max as number) < v) return fail(`Must be at most ${o.max}.`)
  }
  const validators = o.validators
  if (validators === undefined) return v
  for (const check of validators) {
    const message = check(v)
    if (message !== undefined) return fail(message)
  }
  return v
}

function coerce(col: ColumnMeta, v: unknown): unknown {
  switch (col.kind) {
    case "id":
    case "integer":
      return Number.isSafeInteger(v) ? v : fail("Must be an integer.")
    case "bigint":
      if (typeof v === "bigint") return v
      return Number.isSafeInteger(v) ? BigInt(v as number) : fail("Must be an integer.")
    case "float":
      return typeof v === "number" && Number.isFinite(v) ? v : fail("Must be a number.")
    case "decimal":
      return decimal(col, v)
    case "boolean":
      return typeof v === "boolean" ? v : fail("Must be true or false.")
    case "datetime": {
      const d = v instanceof Date ? v : typeof v === "string" ? new Date(v) : undefined
      return d && !Number.isNaN(d.getTime()) ? d : fail("Must be a date and time.")
    }
    case "json":
      return v
    case "binary":
      return v instanceof Uint8Array ? v : fail("Must be binary data (a Uint8Array).")
    default:
      return text(col, v)
  }
}

function decimal(col: ColumnMeta, v: unknown): unknown {
  const s = typeof v === "number" && Number.isFinite(v) ? String(v) : v
  if (typeof s !== "string" || !DECIMAL.test(s)) return fail("Must be a decimal number.")
  const [whole = "", frac = ""] = s.replace("-", "").split(".")
  const scale = col.options.scale ?? 2
  const precision = col.options.precision ?? 12
  if (frac.length > scale) return fail(`Must have at most ${scale} decimal places.`)
  const digits = whole.replace(/^0+/, "")
  if (digits.length > precision - scale) {
    return fail(`Must have at most ${precision - scale} digits before the decimal point.`)
  }
  // The form every database returns: no leading zeros, `scale` decimals, no "-0".
  const text = `${digits || "0"}${scale > 0 ? `.${frac.padEnd(scale, "0")}` : ""}`
  return s.startsWith("-") && /[1-9]/.test(text) ? `-${text}` : text
}

function text(col: ColumnMeta, v: unknown): unknown {
  if (typeof v !== "string") return fail("Must be a string.")
  const o = col.options
  if (typeof o.max === "number" && v.length > o.max) {
    return fail(`Must be at most ${o.max} characters.`)
  }
  if (typeof o.min === "number" && v.length < o.min) {
    return fail(`Must be at least ${o.min} characters.`)
  }
  const check = TEXT_CHECKS[col.kind]
  if (!check) return v
  const [test, message] = check
  const ok = typeof test === "function" ? test(v) : test.test(v)
  if (!ok) return fail(message)
  // "09:30" is stored as "09:30:00", as PostgreSQL and MySQL return it.
  return col.kind === "time" && v.length === 5 ? `${v}:00` : v
}
