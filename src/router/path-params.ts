/**
 * Type-level parsing of route paths, so `c.params` is typed from the path string:
 * `"/users/:id(\\d+)/files/*"` gives `{ id: string; "*": string }`.
 * @module
 */

type CutAt<S extends string, C extends string> = S extends `${infer A}${C}${string}` ? A : S

/** The bare name of one `:param` token: cut at a constraint, `?`, `.` or `-`. */
type ParamName<S extends string> = CutAt<CutAt<CutAt<CutAt<S, "(">, "?">, ".">, "-">

type Optional<S extends string> = S extends `${string}?` ? true : false

/** One segment's params, e.g. `id(\\d+)?` or `from-:to`. */
type SegmentParams<S extends string> = S extends `${infer Head}:${infer More}`
  ? SegmentParams<Head> & SegmentParams<More>
  : Optional<S> extends true
    ? { [K in ParamName<S>]?: string | undefined }
    : { [K in ParamName<S>]: string }

type Collect<P extends string> = P extends `${string}:${infer Rest}`
  ? Rest extends `${infer Segment}/${infer Tail}`
    ? SegmentParams<Segment> & Collect<Tail>
    : SegmentParams<Rest>
  : P extends `${string}*${string}`
    ? { "*": string }
    : {}

type Flatten<T> = { [K in keyof T]: T[K] } & {}

/**
 * The params object a path string produces.
 *
 * @example
 * ```ts
 * import type { PathParams } from "truss"
 * type P = PathParams<"/users/:id/posts/:slug?">
 * const p: P = { id: "7" } // slug is optional
 * ```
 */
export type PathParams<P extends string> = string extends P
  ? Record<string, string | undefined>
  : Flatten<Collect<P> & (P extends `${string}*` ? { "*": string } : {})>
