/**
 * The `field` namespace: one builder per field kind.
 * @module
 */
import type { AnyModel } from "../model.js"
import { type DefaultOf, Field, type FieldKind, type FieldOptions, type NullOf } from "./field.js"
import {
  ForeignKeyField,
  type ForeignKeyOptions,
  ManyToManyField,
  type ManyToManyOptions,
  type ModelRef,
  ReverseField,
} from "./relations.js"

/**
 * A JSON value as stored by `field.json()`.
 * @example
 * ```ts
 * import type { JsonValue } from "truss/orm"
 * const meta: JsonValue = { tags: ["a", "b"], draft: false }
 * ```
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }

/** Options of string-like fields. */
export interface StringOptions<T = string> extends FieldOptions<T> {
  /** Maximum length in characters. @default 255 */
  max?: number
  /** Minimum length in characters. @default 0 */
  min?: number
}

/** Options of number fields. */
export interface NumberOptions<T> extends FieldOptions<T> {
  /** Smallest accepted value. */
  min?: T
  /** Largest accepted value. */
  max?: T
}

/** Options of `field.decimal()`. */
export interface DecimalOptions extends FieldOptions<string> {
  /** Total digits. @default 12 */
  precision?: number
  /** Digits after the point. @default 2 */
  scale?: number
}

/** Options of `field.datetime()`: `default: "now"` and `autoNow` (set on every update). */
export interface DateTimeOptions extends Omit<FieldOptions<Date>, "default"> {
  /** `"now"`, a Date or a function returning one. */
  default?: Date | (() => Date) | "now"
  /** Set to the current time on every save (e.g. `updatedAt`). @default false */
  autoNow?: boolean
}

type F<T, O> = Field<T, NullOf<O>, DefaultOf<O>>

function make<T, O>(kind: FieldKind, options: object | undefined, extra: object = {}): F<T, O> {
  return new Field(kind, { ...extra, ...(options ?? {}) }) as F<T, O>
}

function integer<const O extends NumberOptions<number> = {}>(
  options?: O & NumberOptions<number>,
): F<number, O> {
  return make(kind("integer"), options)
}
function bigint<const O extends NumberOptions<bigint> = {}>(
  options?: O & NumberOptions<bigint>,
): F<bigint, O> {
  return make(kind("bigint"), options)
}
function float<const O extends NumberOptions<number> = {}>(
  options?: O & NumberOptions<number>,
): F<number, O> {
  return make(kind("float"), options)
}
function decimal<const O extends DecimalOptions = {}>(options?: O & DecimalOptions): F<string, O> {
  return make(kind("decimal"), options, { precision: 12, scale: 2 })
}
function boolean<const O extends FieldOptions<boolean> = {}>(
  options?: O & FieldOptions<boolean>,
): F<boolean, O> {
  return make(kind("boolean"), options)
}
function string<const O extends StringOptions = {}>(options?: O & StringOptions): F<string, O> {
  return make(kind("string"), options, { max: 255 })
}
function text<const O extends StringOptions = {}>(options?: O & StringOptions): F<string, O> {
  return make(kind("text"), options)
}
function email<const O extends StringOptions = {}>(options?: O & StringOptions): F<string, O> {
  return make(kind("email"), options, { max: 254 })
}
function url<const O extends StringOptions = {}>(options?: O & StringOptions): F<string, O> {
  return make(kind("url"), options, { max: 2048 })
}
function slug<const O extends StringOptions = {}>(options?: O & StringOptions): F<string, O> {
  return make(kind("slug"), options, { max: 50 })
}
function uuid<const O extends FieldOptions<string> = {}>(
  options?: O & FieldOptions<string>,
): F<string, O> {
  return make(kind("uuid"), options)
}
function date<const O extends FieldOptions<string> = {}>(
  options?: O & FieldOptions<string>,
): F<string, O> {
  return make(kind("date"), options)
}
function datetime<const O extends DateTimeOptions = {}>(options?: O & DateTimeOptions): F<Date, O> {
  return make(kind("datetime"), options)
}
function time<const O extends FieldOptions<string> = {}>(
  options?: O & FieldOptions<string>,
): F<string, O> {
  return make(kind("time"), options)
}
function json<T = JsonValue, const O extends FieldOptions<T> = {}>(
  options?: O & FieldOptions<T>,
): F<T, O> {
  return make(kind("json"), options)
}
function enumField<const V extends readonly string[], const O extends FieldOptions<V[number]> = {}>(
  values: V,
  options?: O & FieldOptions<V[number]>,
): F<V[number], O> {
  const max = Math.max(1, ...values.map((v) => v.length))
  return make(kind("enum"), options, { choices: values, max })
}
function binary<const O extends FieldOptions<Uint8Array> = {}>(
  options?: O & FieldOptions<Uint8Array>,
): F<Uint8Array, O> {
  return make(kind("binary"), options)
}

function kind(k: FieldKind): FieldKind {
  return k
}

type FkOpts = ForeignKeyOptions
function foreignKey<M extends AnyModel, const O extends FkOpts = {}>(
  target: ModelRef<M>,
  options?: O,
): ForeignKeyField<M, NullOf<O>, "foreignKey"> {
  return new ForeignKeyField("foreignKey", target, options ?? {})
}
function oneToOne<M extends AnyModel, const O extends FkOpts = {}>(
  target: ModelRef<M>,
  options?: O,
): ForeignKeyField<M, NullOf<O>, "oneToOne"> {
  return new ForeignKeyField("oneToOne", target, options ?? {})
}
// `T` is deliberately unconstrained: a constraint such as `() => AnyModel` would make
// TypeScript resolve the target model while inferring this model, and two models that
// point at each other would then be a circular type.
function reverse<const T extends "self" | Function, const V extends string>(
  target: T,
  via: V,
): ReverseField<T, V> {
  return new ReverseField(target, via)
}
function manyToMany<M extends AnyModel>(
  target: ModelRef<M>,
  options: ManyToManyOptions = {},
): ManyToManyField<M> {
  return new ManyToManyField(target, options)
}

/**
 * Field builders. Each returns a frozen field whose value type feeds the model's
 * inferred `Row`, `CreateInput` and `UpdateInput` types.
 *
 * @example
 * ```ts
 * import { field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string({ max: 50, unique: true }) })
 * const Post = model("post", {
 *   title: field.string({ max: 200 }),
 *   status: field.enum(["draft", "published"], { default: "draft" }),
 *   tags: field.manyToMany(() => Tag),
 * })
 * ```
 */
export const field = Object.freeze({
  integer,
  bigint,
  float,
  decimal,
  boolean,
  string,
  text,
  email,
  url,
  slug,
  uuid,
  date,
  datetime,
  time,
  json,
  enum: enumField,
  binary,
  foreignKey,
  oneToOne,
  manyToMany,
  reverse,
})
