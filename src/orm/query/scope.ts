/**
 * Compile-time scopes: which table alias a filter or expression refers to, the
 * joins that relation paths need, and the parameter list being built.
 * @module
 */
import type { SqlDialect } from "../dialects/dialect.js"
import { ormErrors } from "../errors.js"
import type { ColumnMeta, ModelMeta } from "../meta.js"

/** Parameters collected while compiling one statement. */
export class Params {
  readonly values: unknown[] = []
  readonly dialect: SqlDialect
  constructor(dialect: SqlDialect) {
    this.dialect = dialect
  }
  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value)
    return this.dialect.placeholder(this.values.length)
  }
}

/** A join made for a forward relation path. */
export interface Join {
  readonly path: string
  readonly alias: string
  readonly meta: ModelMeta
  readonly sql: string
}

/** A table in a FROM clause, with the joins its relation paths required. */
export class Scope {
  readonly alias: string
  readonly meta: ModelMeta
  readonly params: Params
  readonly joins = new Map<string, Join>()
  readonly #inner: boolean
  /** True inside an odd number of NOTs: nullable comparisons then exclude NULL explicitly. */
  negated = false
  /** True when this table is LEFT JOINed, so any of its columns may read as NULL. */
  readonly outer: boolean

  constructor(meta: ModelMeta, alias: string, params: Params, inner = true, outer = false) {
    this.meta = meta
    this.alias = alias
    this.params = params
    this.#inner = inner
    this.outer = outer
  }

  get dialect(): SqlDialect {
    return this.params.dialect
  }

  /** Quoted `alias.column`. */
  ref(alias: string, column: string): string {
    const q = this.params.dialect.quote
    return `${q(alias)}.${q(column)}`
  }

  /** Joins a forward relation path (`author` or `author.company`) and returns it. */
  join(path: string): Join {
    const found = this.joins.get(path)
    if (found) return found
    const dot = path.lastIndexOf(".")
    const parent = dot < 0 ? undefined : this.join(path.slice(0, dot))
    const parentMeta = parent ? parent.meta : this.meta
    const parentAlias = parent ? parent.alias : this.alias
    const name = dot < 0 ? path : path.slice(dot + 1)
    const rel = parentMeta.relation(name)
    if (rel?.type !== "forward") {
      throw ormErrors.INVALID_QUERY({
        reason: `"${path}" is not a foreign key or one-to-one field of ${parentMeta.name}; only forward relations can be joined`,
      })
    }
    const meta = rel.target.meta
    const base = path.replaceAll(".", "__")
    let alias = this.alias === this.meta.table ? base : `${this.alias}__${base}`
    if (alias === this.alias) alias = `${alias}_1`
    const local = parentMeta.column(`${name}Id`)
    const kind = this.#inner && !local.nullable && (!parent || parent.sql.startsWith("INNER"))
    const q = this.dialect.quote
    const sql = `${kind ? "INNER" : "LEFT"} JOIN ${q(meta.table)} AS ${q(alias)} ON ${this.ref(alias, "id")} = ${this.ref(parentAlias, local.column)}`
    const join: Join = { path, alias, meta, sql }
    this.joins.set(path, join)
    return join
  }

  /** Resolves `field` or `relation.field` to its quoted SQL and column. */
  column(path: string): { sql: string; col: ColumnMeta } {
    const dot = path.lastIndexOf(".")
    if (dot < 0) {
      const col = this.meta.column(path)
      return { sql: this.ref(this.alias, col.column), col }
    }
    const join = this.join(path.slice(0, dot))
    const col = join.meta.column(path.slice(dot + 1))
    return { sql: this.ref(join.alias, col.column), col }
  }

  /** ` JOIN …` clauses in creation order. */
  joinSql(): string {
    let out = ""
    for (const j of this.joins.values()) out += ` ${j.sql}`
    return out
  }
}
