import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { BodyLimits } from "../body/limits.js"
import type { Context } from "../context.js"
import type { SchemaOptions } from "../validation/validate.js"

/**
 * Route options and the type-level route table that `truss/client` reads.
 * @module
 */

/**
 * Per-route settings: name, limits, schemas and OpenAPI documentation.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { z } from "zod"
 * const app = new App()
 * app.post("/notes", { name: "notes.create", body: z.object({ text: z.string() }), tags: ["notes"] }, (c) =>
 *   c.json({ text: c.valid("body").text }, 201),
 * )
 * ```
 */
export interface RouteOptions extends SchemaOptions {
  /** Name for reverse routing with `app.url(name, params)`; prefixed by blueprint names. */
  name?: string
  /** Largest JSON/text/urlencoded body in bytes. @default the app's bodyLimit (1 MiB) */
  bodyLimit?: number
  /** Multipart limits for this route. */
  multipart?: Partial<Omit<BodyLimits, "body">>
  /** Validates `c.params` (strings, coerced by the schema); read with `c.valid("params")`. */
  params?: StandardSchemaV1
  /** Validates the query string (coerced by the schema); read with `c.valid("query")`. */
  query?: StandardSchemaV1
  /** Validates request headers (lower-case names); read with `c.valid("headers")`. */
  headers?: StandardSchemaV1
  /** Validates request cookies; read with `c.valid("cookies")`. */
  cookies?: StandardSchemaV1
  /** Validates the JSON, urlencoded or multipart body; read with `c.valid("body")`. */
  body?: StandardSchemaV1
  /** Response schemas by status: checked in debug, fast-serialized in production. */
  response?: { readonly [status: number]: StandardSchemaV1 }
  /** OpenAPI summary. */
  summary?: string
  /** OpenAPI description (Markdown). */
  description?: string
  /** OpenAPI tags. */
  tags?: readonly string[]
  /** OpenAPI operationId. @default the route name, if any */
  operationId?: string
  /** Marks the operation deprecated in OpenAPI. */
  deprecated?: boolean
  /** OpenAPI security requirements for this operation, e.g. `[{ bearer: [] }]`. */
  security?: readonly Readonly<Record<string, readonly string[]>>[]
}

/**
 * One route's types as the client reads them: its options and what its handler returns.
 * @example
 * ```ts
 * import type { RouteType } from "truss"
 * type Ping = RouteType<{ name: "ping" }, { ok: boolean }>
 * const t: Ping = { options: { name: "ping" }, returns: { ok: true } }
 * ```
 */
export interface RouteType<O = unknown, R = unknown> {
  options: O
  returns: R
}

/**
 * The type-level route table: method → path → {@link RouteType}.
 * @example
 * ```ts
 * import type { RouteTable, RouteType } from "truss"
 * const table: RouteTable = { GET: { "/ping": { options: {}, returns: "pong" } satisfies RouteType } }
 * ```
 */
export type RouteTable = { readonly [method: string]: { readonly [path: string]: RouteType } }

/**
 * `Self` that also carries one more route in its type, for `truss/client`.
 * @example
 * ```ts
 * import type { App, WithRoute } from "truss"
 * type PingApp = WithRoute<App, "GET", "/ping", object, string>
 * ```
 */
export type WithRoute<Self, M extends string, Path extends string, O, R> = Self & {
  readonly "~routes"?: { [m in M]: { [p in Path]: RouteType<O, R> } }
}

/**
 * The route table a scope's type has accumulated.
 * @example
 * ```ts
 * import { App, type RoutesOf } from "truss"
 * const app = new App().get("/ping", () => "pong")
 * type Routes = RoutesOf<typeof app> // { GET: { "/ping": RouteType<object, string> } }
 * ```
 */
export type RoutesOf<T> = T extends { readonly "~routes"?: infer R } ? NonNullable<R> : object

/**
 * A blueprint's route table with its prefix added to every path.
 * @example
 * ```ts
 * import type { Prefixed, RouteType } from "truss"
 * type R = Prefixed<"/api", { GET: { "/ping": RouteType } }> // { GET: { "/api/ping": RouteType } }
 * ```
 */
export type Prefixed<Prefix extends string, R> = {
  [M in keyof R]: { [P in keyof R[M] & string as `${Prefix}${P}`]: R[M][P] }
}

/**
 * `Self` that also carries a registered blueprint's routes, prefixed.
 * @example
 * ```ts
 * import type { App, Blueprint, WithBlueprint } from "truss"
 * declare function users(): Blueprint<{}, "/users">
 * type AppWithUsers = WithBlueprint<App, ReturnType<typeof users>>
 * ```
 */
export type WithBlueprint<Self, B extends { readonly prefix: string }> = Self & {
  readonly "~routes"?: Prefixed<B["prefix"], RoutesOf<B>>
}

/**
 * The validated-input types a handler's context gets from its route options.
 * @example
 * ```ts
 * import type { InputsOf } from "truss"
 * import { z } from "zod"
 * const Body = z.object({ text: z.string() })
 * type I = InputsOf<{ body: typeof Body }> // { body: { text: string } }
 * ```
 */
export type InputsOf<O> = {
  [K in keyof O &
    ("params" | "query" | "headers" | "cookies" | "body") as O[K] extends StandardSchemaV1
    ? K
    : never]: O[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<O[K]> : never
}

/** A route handler whose return type is kept for typed clients. */
export type TypedHandler<V extends object, P extends object, I extends object, R> = (
  c: Context<V, P, I>,
) => R
