/**
 * Types of `prefetchRelated()`: the relation paths it accepts and the rows it adds.
 * @module
 */
import type { Cardinality, FieldsOf, RelatedModel, RelationKeys, Row } from "../types.js"

/**
 * A relation path `prefetchRelated()` accepts: a relation of the model (`"author"`,
 * `"tags"`, a declared reverse relation) or a path through relations
 * (`"author.company"`), typed up to three levels.
 *
 * @example
 * ```ts
 * import { type PrefetchPath, field, model } from "truss/orm"
 * const Company = model("company", { name: field.string() })
 * const User = model("user", { company: field.foreignKey(() => Company) })
 * const Post = model("post", { author: field.foreignKey(() => User) })
 * const path: PrefetchPath<typeof Post> = "author.company"
 * ```
 */
export type PrefetchPath<M> = {
  [K in RelationKeys<M>]: K | `${K}.${TwoLevels<RelatedModel<M, K>>}`
}[RelationKeys<M>]

// Spelled out level by level rather than recursively, so TypeScript needs no depth
// counter and the union stays small (relations × relations × relations).
type TwoLevels<M> = {
  [K in RelationKeys<M>]: K | `${K}.${RelationKeys<RelatedModel<M, K>>}`
}[RelationKeys<M>]

type Head<P> = P extends `${infer H}.${string}` ? H : P
type Tail<P, H extends string> = P extends `${H}.${infer T}` ? T : never

type Wrap<C, X> = C extends "many" ? X[] : C extends "optional" ? X | null : X

type Nested<M, P> = [P] extends [never] ? unknown : Prefetched<M, P>

/**
 * What `prefetchRelated(...paths)` adds to each row of model `M`: the related row,
 * row or null, or list under each relation name, with deeper paths nested inside.
 *
 * @example
 * ```ts
 * import { type Prefetched, type Row, field, model } from "truss/orm"
 * const User = model("user", { name: field.string() })
 * const Post = model("post", { author: field.foreignKey(() => User) })
 * type WithAuthor = Row<typeof Post> & Prefetched<typeof Post, "author">
 * ```
 */
export type Prefetched<M, P> = {
  [K in Head<P> & RelationKeys<M>]: Wrap<
    Cardinality<FieldsOf<M>[K], M>,
    Row<RelatedModel<M, K>> & Nested<RelatedModel<M, K>, Tail<P, K>>
  >
}
