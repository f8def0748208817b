import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { Context } from "../kit.js"

/**
 * The params of a channel pattern: `"rooms/:id"` gives `{ id: string }`.
 * @example
 * ```ts
 * import type { ChannelParams } from "truss/realtime"
 * const p: ChannelParams<"orgs/:org/rooms/:room"> = { org: "acme", room: "42" }
 * ```
 */
export type ChannelParams<P extends string> = P extends `${infer Head}/${infer Rest}`
  ? SegmentParam<Head> & ChannelParams<Rest>
  : SegmentParam<P>

type SegmentParam<S extends string> = S extends `:${infer Name}` ? { [K in Name]: string } : unknown

/**
 * What a channel declares: who may join it and what presence shows of its members.
 * @example
 * ```ts
 * import type { ChannelOptions } from "truss/realtime"
 * const rooms: ChannelOptions<"rooms/:id"> = {
 *   authorize: (c, params) => params.id !== "staff" || c.req.header("x-staff") === "1",
 *   presence: true,
 *   history: 50,
 * }
 * ```
 */
export interface ChannelOptions<P extends string = string> {
  /**
   * Whether the connection (its upgrade or SSE request's context: session, cookies,
   * `c.user`) may join. Return false (or throw) to refuse. @default every request may join
   */
  authorize?: (c: Context, params: ChannelParams<P>) => boolean | Promise<boolean>
  /**
   * Track who is in the channel and send `presence:join` / `presence:leave` events. A
   * function also gives each member's metadata when the join passed none (a client's
   * `$join` frame): it is computed on the server, from the connection's context.
   * @default false
   */
  presence?: boolean | ((c: Context, params: ChannelParams<P>) => unknown)
  /** How many recent broadcasts to keep for SSE `Last-Event-ID` resume. @default 100 */
  history?: number
  /**
   * The channel's events and their data, as Standard Schemas: types only (for
   * `rt.publish()` and the typed client); data is not validated on publish.
   */
  events?: Readonly<Record<string, StandardSchemaV1>>
}

/**
 * The channels a `Realtime` declared: pattern → event → data type, what the typed client
 * reads (`RealtimeClient<typeof rt>`).
 * @example
 * ```ts
 * import type { ChannelTypes } from "truss/realtime"
 * const channels: ChannelTypes = { "rooms/:id": { said: { text: "hi" } } }
 * ```
 */
export type ChannelTypes = Record<string, Record<string, unknown>>

/** The events of one channel's `events` option, as data types. @internal */
export type EventsOf<E> = [E] extends [Readonly<Record<string, StandardSchemaV1>>]
  ? string extends keyof E
    ? Record<string, unknown>
    : {
        [K in keyof E]: E[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<E[K]> : unknown
      }
  : Record<string, unknown>

/**
 * The concrete channel names a pattern stands for: `"rooms/:id"` gives `` `rooms/${string}` ``.
 * @example
 * ```ts
 * import type { ChannelName } from "truss/realtime"
 * const name: ChannelName<"rooms/:id"> = "rooms/42"
 * ```
 */
export type ChannelName<P extends string> = P extends `${infer Head}/${infer Rest}`
  ? `${NameSegment<Head>}/${ChannelName<Rest>}`
  : NameSegment<P>

type NameSegment<S extends string> = S extends `:${string}` ? string : S

/**
 * The events of the channel `name` belongs to, in the declared `C` (every pattern it
 * matches, merged); `Record<string, unknown>` for an undeclared name.
 * @example
 * ```ts
 * import type { EventsFor } from "truss/realtime"
 * type Chat = { "rooms/:id": { said: { text: string } } }
 * const said: EventsFor<Chat, "rooms/7">["said"] = { text: "hi" }
 * ```
 */
export type EventsFor<C extends ChannelTypes, Name extends string> = [
  { [P in keyof C & string]: Name extends ChannelName<P> ? C[P] : never }[keyof C & string],
] extends [never]
  ? Record<string, unknown>
  : { [P in keyof C & string]: Name extends ChannelName<P> ? C[P] : never }[keyof C & string]

/** A declared channel pattern, compiled. @internal */
export interface ChannelDef {
  readonly pattern: string
  readonly segments: readonly string[]
  readonly options: ChannelOptions
}

/** Compiles a pattern such as `rooms/:id`. @internal */
export function compileChannel(pattern: string, options: ChannelOptions): ChannelDef {
  return { pattern, segments: pattern.split("/"), options }
}

/** The first definition `name` matches, with its params. @internal */
export function matchChannel(
  defs: readonly ChannelDef[],
  name: string,
): { def: ChannelDef; params: Record<string, string> } | undefined {
  if (name.length === 0 || name.length > 200) return undefined
  const parts = name.split("/")
  for (const def of defs) {
    if (def.segments.length !== parts.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < parts.length; i++) {
      const seg = def.segments[i]!
      const part = parts[i]!
      if (seg.startsWith(":")) {
        if (part.length === 0) ok = false
        else params[seg.slice(1)] = part
      } else if (seg !== part) ok = false
      if (!ok) break
    }
    if (ok) return { def, params }
  }
  return undefined
}
