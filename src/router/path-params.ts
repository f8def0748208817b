/**
 * Type-level parsing of route paths, so `c.params` is typed from the path string:
 * `"/users/:id(\\d+)/files/*"` gives `{ id: string; "*": string }`.
 * @module
 */

/** The text after the balanced group that `Depth` is inside of; escapes are skipped. */
type AfterGroup<S extends string, Depth extends unknown[]> = S extends `${infer C}${infer Rest}`
  ? C extends "\\"
    ? Rest extends `${string}${infer After}`
      ? AfterGroup<After, Depth>
      : ""
    : C extends "("
      ? AfterGroup<Rest, [...Depth, 0]>
      : C extends ")"
        ? Depth extends [unknown, ...infer Outer]
          ? Outer extends []
            ? Rest
            : AfterGroup<Rest, Outer>
          : Rest
        : AfterGroup<Rest, Depth>
  : ""

/** The path with every `(constraint)` removed, so regex text never looks like params. */
type StripConstraints<
  S extends string,
  Done extends string = "",
> = S extends `${infer Head}(${infer Rest}`
  ? StripConstraints<AfterGroup<Rest, [0]>, `${Done}${Head}`>
  : `${Done}${S}`

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
  : ParamsOf<StripConstraints<P>>

type ParamsOf<S extends string> = Flatten<
  Collect<S> & (S extends `${string}*` ? { "*": string } : {})
>
