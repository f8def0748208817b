/**
 * The scalar field class and its options. A field carries its TypeScript value type
 * as a phantom parameter, which `Row`, `CreateInput` and `UpdateInput` read.
 * @module
 */

/**
 * Every scalar field kind.
 * @example
 * ```ts
 * import { type FieldKind, field } from "truss/orm"
 * const kind: FieldKind = field.email().kind // "email"
 * ```
 */
export type FieldKind =
  | "id"
  | "uuidId"
  | "integer"
  | "bigint"
  | "float"
  | "decimal"
  | "boolean"
  | "string"
  | "text"
  | "email"
  | "url"
  | "slug"
  | "uuid"
  | "date"
  | "datetime"
  | "time"
  | "json"
  | "enum"
  | "binary"

/**
 * A check run before save: return a message to reject the value, or undefined to accept it.
 * @example
 * ```ts
 * import { field } from "truss/orm"
 * const even = field.integer({ validators: [(n) => (n % 2 === 0 ? undefined : "Must be even.")] })
 * ```
 */
export type Validator<T> = (value: T) => string | undefined

/**
 * Options every scalar field accepts.
 * @example
 * ```ts
 * import { field } from "truss/orm"
 * const code = field.string({ max: 8, unique: true, label: "Code", help: "Eight characters" })
 * ```
 */
export interface FieldOptions<T> {
  /** Allow NULL; the value type gains `| null`. @default false */
  null?: boolean
  /** Value used when create input omits the field; a function is called per row. */
  default?: T | (() => T)
  /** Adds a UNIQUE constraint. @default false */
  unique?: boolean
  /** Adds an index. @default false */
  index?: boolean
  /** Allowed values (rendered as a select by forms and the admin). */
  choices?: readonly T[]
  /** Extra checks run before save. */
  validators?: readonly Validator<T>[]
  /** Column name in the database. @default the field name in snake_case */
  dbColumn?: string
  /** Help text for forms and the admin. */
  help?: string
  /** Human label for forms and the admin. */
  label?: string
}

/** The options a field keeps after construction, with kind-specific settings. */
export interface ResolvedFieldOptions extends FieldOptions<unknown> {
  max?: number
  min?: number
  maxLength?: number
  precision?: number
  scale?: number
  autoNow?: boolean
  primaryKey?: boolean
}

/**
 * A scalar model field. `T` is the value type, `N` whether it is nullable and `D`
 * whether create input may omit it (it has a default).
 *
 * @example
 * ```ts
 * import { field } from "truss/orm"
 * const title = field.string({ max: 200 }) // Field<string, false, false>
 * ```
 */
export class Field<T, N extends boolean = boolean, D extends boolean = boolean> {
  /** Phantom: the value type. Never set at runtime. */
  declare readonly "~value": T
  declare readonly "~null": N
  declare readonly "~default": D
  /** The field kind, e.g. `"string"`. */
  readonly kind: FieldKind
  /** The options passed to the builder. */
  readonly options: Readonly<ResolvedFieldOptions>

  constructor(kind: FieldKind, options: ResolvedFieldOptions) {
    this.kind = kind
    this.options = Object.freeze({ ...options })
    Object.freeze(this)
  }
}

/** Any scalar field. */
export type AnyField = Field<unknown, boolean, boolean>

/** Nullability flag of an options object. */
export type NullOf<O> = O extends { null: true } ? true : false
/** Whether an options object supplies a default (a nullable field defaults to null). */
export type DefaultOf<O> = O extends { default: unknown }
  ? true
  : O extends { null: true }
    ? true
    : O extends { autoNow: true }
      ? true
      : false
