/** LiquidJS types Truss uses in its own signatures. @internal */
import type { Liquid } from "liquidjs"

/**
 * A filter: a function of the value and its arguments, or `{ handler, raw }`.
 * @example
 * ```ts
 * import type { FilterDefinition } from "truss/templates"
 * const shout: FilterDefinition = (value: string) => `${value}!`
 * ```
 */
export type FilterDefinition = Parameters<Liquid["registerFilter"]>[1]
/**
 * A tag: a class, or `{ parse, render }` options.
 * @example
 * ```ts
 * import type { TagDefinition } from "truss/templates"
 * const year: TagDefinition = { render: (_ctx, emitter) => emitter.write("2026") }
 * ```
 */
export type TagDefinition = Parameters<Liquid["registerTag"]>[1]
/** The cache interface of `new Liquid({ cache })`. */
export type LiquidCache = Exclude<
  NonNullable<ConstructorParameters<typeof Liquid>[0]>["cache"],
  boolean | number | undefined
>
