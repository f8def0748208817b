/**
 * Expressions: field references (`F("views").add(1)`), aggregates and boolean
 * combinations of filters.
 * @module
 */

/** The expression tree the compiler walks. */
export type ExprNode =
  | { readonly type: "ref"; readonly path: string }
  | { readonly type: "value"; readonly value: unknown }
  | {
      readonly type: "binary"
      readonly op: "+" | "-" | "*" | "/"
      readonly left: ExprNode
      readonly right: ExprNode
    }
  | {
      readonly type: "agg"
      readonly fn: "count" | "sum" | "avg" | "min" | "max"
      readonly path: string | undefined
      readonly distinct: boolean
    }

function node(v: unknown): ExprNode {
  return v instanceof Expression ? v.node : { type: "value", value: v }
}

/**
 * A SQL expression whose value type is `T`. Built with {@link F} and aggregate helpers.
 *
 * @example
 * ```ts
 * import { F } from "truss/orm"
 * const next = F("views").add(1) // "views" + 1, evaluated by the database
 * ```
 */
export class Expression<T = unknown> {
  declare readonly "~type": T
  /** The expression tree. */
  readonly node: ExprNode

  constructor(n: ExprNode) {
    this.node = n
    Object.freeze(this)
  }

  /** `this + other`. */
  add(other: number | Expression<number>): Expression<T> {
    return new Expression({ type: "binary", op: "+", left: this.node, right: node(other) })
  }
  /** `this - other`. */
  sub(other: number | Expression<number>): Expression<T> {
    return new Expression({ type: "binary", op: "-", left: this.node, right: node(other) })
  }
  /** `this * other`. */
  mul(other: number | Expression<number>): Expression<T> {
    return new Expression({ type: "binary", op: "*", left: this.node, right: node(other) })
  }
  /** `this / other`. */
  div(other: number | Expression<number>): Expression<T> {
    return new Expression({ type: "binary", op: "/", left: this.node, right: node(other) })
  }
}

/**
 * References a field (or `relation.field`) so the database computes with the stored
 * value: atomic updates and column-to-column comparisons.
 *
 * The value type defaults to `never`, which fits any field; the path is checked when
 * the query compiles (TRUSS_ERR_ORM_UNKNOWN_FIELD).
 *
 * @param path - A field name, or a path across forward relations like `"author.karma"`.
 * @example
 * ```ts
 * import { F } from "truss/orm"
 * // await db.query(Article).filter({ id: 1 }).update({ views: F("views").add(1) })
 * F("views").add(1)
 * ```
 */
export function F<T = never>(path: string): Expression<T> {
  return new Expression({ type: "ref", path })
}

/**
 * An aggregate such as `count()`, with its result type.
 * @example
 * ```ts
 * import { type Aggregate, count } from "truss/orm"
 * const n: Aggregate<number> = count()
 * ```
 */
export type Aggregate<T> = Expression<T>

function agg(fn: "count" | "sum" | "avg" | "min" | "max", path?: string, distinct = false) {
  return new Expression<number | null>({ type: "agg", fn, path, distinct })
}

/**
 * `COUNT(*)`, or `COUNT(field)` / `COUNT(DISTINCT field)`.
 *
 * @example
 * ```ts
 * import { count } from "truss/orm"
 * // await db.query(Article).aggregate({ n: count() }) // { n: 3 }
 * count()
 * ```
 */
export function count(path?: string, options: { distinct?: boolean } = {}): Aggregate<number> {
  return agg("count", path, options.distinct) as Aggregate<number>
}
/**
 * `SUM(field)`; null over no rows.
 * @example
 * ```ts
 * import { sum } from "truss/orm"
 * sum("views")
 * ```
 */
export function sum(path: string): Aggregate<number | null> {
  return agg("sum", path)
}
/**
 * `AVG(field)`; null over no rows.
 * @example
 * ```ts
 * import { avg } from "truss/orm"
 * avg("views")
 * ```
 */
export function avg(path: string): Aggregate<number | null> {
  return agg("avg", path)
}
/**
 * `MIN(field)`.
 * @example
 * ```ts
 * import { min } from "truss/orm"
 * min("views")
 * ```
 */
export function min(path: string): Aggregate<number | null> {
  return agg("min", path)
}
/**
 * `MAX(field)`.
 * @example
 * ```ts
 * import { max } from "truss/orm"
 * max("views")
 * ```
 */
export function max(path: string): Aggregate<number | null> {
  return agg("max", path)
}

/** A boolean condition tree; plain filter objects are its leaves. */
export type WhereNode =
  | { readonly type: "filter"; readonly filter: Readonly<Record<string, unknown>> }
  | { readonly type: "and" | "or"; readonly children: readonly WhereNode[] }
  | { readonly type: "not"; readonly child: WhereNode }
  | {
      readonly type: "through"
      readonly table: string
      readonly source: string
      readonly target: string
      readonly value: unknown
    }

/**
 * A condition on model filter type `W`, built by the `q` helper of `filter((q) => …)`.
 * @example
 * ```ts
 * import { connect, field, model } from "truss/orm"
 * const Post = model("post", { views: field.integer() })
 * const db = await connect("sqlite::memory:")
 * const qs = db.query(Post).filter((q) => q.not({ views: 0 })) // q.not returns a Condition
 * ```
 */
export class Condition<W> {
  declare readonly "~filter": W
  readonly node: WhereNode
  constructor(n: WhereNode) {
    this.node = n
    Object.freeze(this)
  }
}

/** Turns a filter object or condition into a tree node. */
export function toWhere<W>(w: W | Condition<W>): WhereNode {
  return w instanceof Condition
    ? w.node
    : { type: "filter", filter: w as Readonly<Record<string, unknown>> }
}

/**
 * The helper passed to `filter((q) => …)`: `q.or`, `q.and`, `q.not`.
 * @example
 * ```ts
 * import { connect, field, model } from "truss/orm"
 * const Post = model("post", { views: field.integer(), title: field.string() })
 * const db = await connect("sqlite::memory:")
 * const qs = db.query(Post).filter((q) => q.or({ views: { gt: 10 } }, q.and({ title: "a" }, q.not({ views: 0 }))))
 * ```
 */
export interface ConditionBuilder<W> {
  /** True when any of the conditions holds. */
  or(...conditions: (W | Condition<W>)[]): Condition<W>
  /** True when all of the conditions hold. */
  and(...conditions: (W | Condition<W>)[]): Condition<W>
  /** True when the condition does not hold. */
  not(condition: W | Condition<W>): Condition<W>
}

const builder: ConditionBuilder<unknown> = Object.freeze({
  or: (...c: unknown[]) => new Condition({ type: "or", children: c.map(toWhere) }),
  and: (...c: unknown[]) => new Condition({ type: "and", children: c.map(toWhere) }),
  not: (c: unknown) => new Condition({ type: "not", child: toWhere(c) }),
})

/** The shared, stateless condition builder. */
export function conditionBuilder<W>(): ConditionBuilder<W> {
  return builder as ConditionBuilder<W>
}

/**
 * A condition on a relation the model's type does not declare, such as the reverse
 * side of a foreign key (`relatedName`): true when a related row matches `filter`.
 *
 * @param relation - The relation name, e.g. `"articles"` on `User`.
 * @param filter - A filter on the related model.
 * @example
 * ```ts
 * import { has } from "truss/orm"
 * // Users with at least one article over 20 views:
 * // await db.query(User).filter(has("articles", { views: { gt: 20 } })).all()
 * has("articles", { views: { gt: 20 } })
 * ```
 */
export function has(relation: string, filter: Readonly<Record<string, unknown>>): Condition<never> {
  return new Condition({ type: "filter", filter: { [relation]: filter } })
}
