/**
 * Create input prepared by one generated function per model: validation, defaults and
 * `autoNow` in a single pass that builds the row as one object literal.
 * @module
 */
import { randomUUID } from "node:crypto"
import type { ColumnMeta } from "./meta.js"
import type { AnyModel } from "./model.js"
import { Expression } from "./query/expressions.js"
import { checkValue, Invalid } from "./validate-value.js"

type Values = Record<string, unknown>
type Prepare = (input: unknown) => Values
/** The generic path: validates (throwing field-level errors) and fills defaults. */
export type PrepareSlow = (m: AnyModel, input: unknown) => Values

// Kinds checked inline; every other kind goes through checkValue().
const NUMBER_KINDS = new Set(["id", "integer", "float"])
const TEXT_KINDS = new Set(["string", "text", "enum"])

const compiled = new WeakMap<AnyModel, Prepare>()

/**
 * Returns the model's create-input preparer, generated on first use. Its result equals
 * the generic path's (same values, defaults called once per row, in column order);
 * input the generated code does not accept as-is (a rejected value, a missing required
 * field, an unknown key, an expression, or any model with `clean`) is handed to `slow`,
 * which builds the field-level errors, so every message stays the generic path's.
 */
export function createPreparer(m: AnyModel, slow: PrepareSlow): Prepare {
  let fn = compiled.get(m)
  if (fn === undefined) {
    const generic: Prepare = (input) => slow(m, input)
    fn = compile(m.meta.columns, generic, m.options.clean !== undefined)
    compiled.set(m, fn)
  }
  return fn
}

function isRequired(col: ColumnMeta): boolean {
  if (col.primaryKey || col.nullable) return false
  return col.options.default === undefined && !col.options.autoNow
}

/** The statements that check `v` (already known not to be undefined) for column `i`. */
function checks(col: ColumnMeta, i: number, v: string): string {
  const o = col.options
  const nul = col.nullable ? "" : `if (${v} === null) return slow(input); `
  if (!NUMBER_KINDS.has(col.kind) && !TEXT_KINDS.has(col.kind)) {
    // checkValue() handles null, choices, ranges and validators itself.
    return `if (${v} instanceof E) return slow(input); ${v} = check(C[${i}], ${v}); if (${v} instanceof Invalid) return slow(input);`
  }
  const lines: string[] = []
  if (col.kind === "float") {
    lines.push(`if (typeof ${v} !== "number" || !Number.isFinite(${v})) return slow(input);`)
  } else if (NUMBER_KINDS.has(col.kind)) {
    lines.push(`if (!Number.isSafeInteger(${v})) return slow(input);`)
  } else {
    lines.push(`if (typeof ${v} !== "string") return slow(input);`)
    if (typeof o.max === "number") lines.push(`if (${v}.length > ${o.max}) return slow(input);`)
    if (typeof o.min === "number") lines.push(`if (${v}.length < ${o.min}) return slow(input);`)
  }
  if (o.choices) lines.push(`if (!C[${i}].options.choices.includes(${v})) return slow(input);`)
  if (NUMBER_KINDS.has(col.kind)) {
    if (typeof o.min === "number") lines.push(`if (${v} < ${o.min}) return slow(input);`)
    if (typeof o.max === "number") lines.push(`if (${v} > ${o.max}) return slow(input);`)
  }
  for (const [j] of (o.validators ?? []).entries()) {
    lines.push(`if (val${i}_${j}(${v}) !== undefined) return slow(input);`)
  }
  const body = lines.join(" ")
  return col.nullable ? `${nul}if (${v} !== null) { ${body} }` : `${nul}${body}`
}

/** The expression for column `i` when the input omits it (as withDefaults() fills it). */
function fallback(col: ColumnMeta, i: number): string {
  const d = col.options.default
  if (d === "now" && col.kind === "datetime") return "(now ??= new Date())"
  if (typeof d === "function") return `def${i}()`
  if (d !== undefined) return `def${i}`
  if (col.options.autoNow) return "(now ??= new Date())"
  return "null"
}

function compile(cols: readonly ColumnMeta[], slow: Prepare, clean: boolean): Prepare {
  // clean() sees the values before defaults: keep those models on the generic path, and
  // a "__proto__" key cannot be read or written as a plain property.
  if (clean || cols.some((c) => c.key === "__proto__")) return slow
  const head: string[] = []
  const body: string[] = [
    `if (typeof input !== "object" || input === null || Array.isArray(input)) return slow(input);`,
    `for (const key in input) if (${cols.map((c) => `key !== ${JSON.stringify(c.key)}`).join(" && ")}) return slow(input);`,
    "let now;",
  ]
  const props: string[] = []
  let pk = ""
  for (const [i, col] of cols.entries()) {
    const v = `v${i}`
    const key = JSON.stringify(col.key)
    if (col.options.default !== undefined) head.push(`const def${i} = C[${i}].options.default;`)
    for (const [j] of (col.options.validators ?? []).entries()) {
      head.push(`const val${i}_${j} = C[${i}].options.validators[${j}];`)
    }
    const missing = isRequired(col) ? "return slow(input);" : ""
    body.push(`let ${v} = input[${key}];`)
    body.push(`if (${v} === undefined) { ${missing} } else { ${checks(col, i, v)} }`)
    if (col.primaryKey) {
      pk = col.kind === "uuidId" ? `${key}: ${v} === undefined ? uuid() : ${v}` : `${key}: ${v}`
    } else props.push(`${key}: ${v} === undefined ? ${fallback(col, i)} : ${v}`)
  }
  const rest = props.join(", ")
  const uuidPk = cols.some((c) => c.primaryKey && c.kind === "uuidId")
  // An auto id the input omits stays absent from the row, as on the generic path.
  if (uuidPk || pk === "") body.push(`return { ${[pk, rest].filter(Boolean).join(", ")} };`)
  else {
    const id = cols.findIndex((c) => c.primaryKey)
    body.push(`if (v${id} === undefined) return { ${rest} };`)
    body.push(`return { ${[pk, rest].filter(Boolean).join(", ")} };`)
  }
  const source = `${head.join(" ")} return function prepareCreate(input) { ${body.join(" ")} };`
  const factory = new Function("C", "slow", "check", "Invalid", "E", "uuid", source)
  return factory(cols, slow, checkValue, Invalid, Expression, randomUUID) as Prepare
}
