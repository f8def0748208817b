/**
 * What the admin knows about one field of a model: its label, the form input it gets,
 * whether it is required, and the relation it follows.
 * @module
 */
import {
  type AnyModel,
  Field,
  type FieldKind,
  ForeignKeyField,
  ManyToManyField,
} from "../orm/index.js"
import { capitalize, humanize } from "./naming.js"

/** The input a field is edited with. */
export type Widget =
  | "text"
  | "email"
  | "url"
  | "textarea"
  | "number"
  | "decimal"
  | "checkbox"
  | "date"
  | "datetime"
  | "time"
  | "select"
  | "json"
  | "fk"
  | "m2m"
  | "file"

/** One editable or displayable field of a model. */
export interface AdminField {
  /** The field name in the model (`author` for a foreign key). */
  readonly name: string
  /** The key in rows and the form input's name (`authorId` for a foreign key). */
  readonly key: string
  readonly label: string
  readonly help: string | undefined
  readonly relation: "none" | "fk" | "m2m"
  /** The scalar kind, or the key kind of a foreign key. */
  readonly kind: FieldKind | "manyToMany"
  readonly widget: Widget
  readonly nullable: boolean
  /** Whether the form must send a value (not nullable, no default). */
  readonly required: boolean
  readonly choices: readonly unknown[] | undefined
  readonly maxLength: number | undefined
  /** The related model of a foreign key or many-to-many field. */
  readonly target: AnyModel | undefined
}

const WIDGETS: Partial<Record<FieldKind, Widget>> = {
  email: "email",
  url: "url",
  text: "textarea",
  integer: "number",
  bigint: "number",
  float: "number",
  decimal: "decimal",
  boolean: "checkbox",
  date: "date",
  datetime: "datetime",
  time: "time",
  json: "json",
  enum: "select",
  binary: "file",
}

function labelOf(name: string, label: string | undefined): string {
  return label ?? capitalize(humanize(name))
}

/** Describes field `name` of `m`, or undefined when it is not a field (or is a reverse relation). */
export function adminField(m: AnyModel, name: string): AdminField | undefined {
  const f = m.fields[name]
  if (f instanceof Field) {
    const o = f.options
    const choices = o.choices
    return {
      name,
      key: name,
      label: labelOf(name, o.label),
      help: o.help,
      relation: "none",
      kind: f.kind,
      widget: choices ? "select" : (WIDGETS[f.kind] ?? "text"),
      nullable: !!o.null,
      required: !o.null && o.default === undefined && !o.autoNow && f.kind !== "boolean",
      choices,
      maxLength: o.max ?? o.maxLength,
      target: undefined,
    }
  }
  if (f instanceof ForeignKeyField) {
    const column = m.meta.column(`${name}Id`)
    return {
      name,
      key: `${name}Id`,
      label: labelOf(name, f.options.label),
      help: f.options.help,
      relation: "fk",
      kind: column.kind,
      widget: "fk",
      nullable: !!f.options.null,
      required: !f.options.null,
      choices: undefined,
      maxLength: undefined,
      target: column.references?.model,
    }
  }
  if (f instanceof ManyToManyField) {
    return {
      name,
      key: name,
      label: labelOf(name, f.options.label),
      help: f.options.help,
      relation: "m2m",
      kind: "manyToMany",
      widget: "m2m",
      nullable: true,
      required: false,
      choices: undefined,
      maxLength: undefined,
      target: m.meta.relation(name)?.target,
    }
  }
  return undefined
}

/** The fields a form shows by default: scalars, foreign keys and many-to-many fields. */
export function defaultFormFields(m: AnyModel): string[] {
  return Object.keys(m.fields).filter((name) => {
    const f = m.fields[name]
    return adminField(m, name) !== undefined && !(f instanceof Field && f.options.autoNow)
  })
}
