/** LiquidJS types Truss uses in its own signatures. @internal */
import type { Liquid } from "liquidjs"

/** A filter: a function of the value and its arguments, or `{ handler, raw }`. */
export type FilterDefinition = Parameters<Liquid["registerFilter"]>[1]
/** A tag: a class, or `{ parse, render }` options. */
export type TagDefinition = Parameters<Liquid["registerTag"]>[1]
/** The cache interface of `new Liquid({ cache })`. */
export type LiquidCache = Exclude<
  NonNullable<ConstructorParameters<typeof Liquid>[0]>["cache"],
  boolean | number | undefined
>
