import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { PathParams, ReplyTypes, RoutesOf, RouteType, ValidationIssue } from "../kit.js"

/**
 * Type-level plumbing for `createClient<typeof app>()`: request inputs and response
 * unions computed from one route's options and handler return type, lazily, only for
 * the routes a call names.
 * @module
 */

/**
 * A schema type that only carries `T`: what generated clients declare routes with.
 * @example
 * ```ts
 * import type { Typed } from "truss/client"
 * type NoteSchema = Typed<{ id: number; text: string }>
 * ```
 */
export type Typed<T> = StandardSchemaV1<T, T>

/**
 * The lower-case methods the client offers.
 * @example
 * ```ts
 * import type { ClientMethod } from "truss/client"
 * const method: ClientMethod = "patch"
 * ```
 */
export type ClientMethod = "get" | "post" | "put" | "patch" | "delete"

type Upper<M extends ClientMethod> = Uppercase<M>
type At<R, K extends string> = K extends keyof R ? R[K] : unknown
type Table<R, M extends ClientMethod> = At<R, Upper<M>> & At<R, "ALL">

/**
 * The paths that accept method `M`.
 * @example
 * ```ts
 * import type { RoutesOf } from "truss"
 * import type { PathsOf } from "truss/client"
 * import { App } from "truss"
 * import { z } from "zod"
 * const app = new App().get("/notes/:id", { response: { 200: z.object({ text: z.string() }) } }, () => ({ text: "hi" }))
 * type R = RoutesOf<typeof app>
 * type Gets = PathsOf<R, "get"> // "/notes/:id"
 * ```
 */
export type PathsOf<R, M extends ClientMethod> = keyof Table<R, M> & string

/** One route's {@link RouteType}. */
export type RouteAt<R, M extends ClientMethod, P extends string> = Table<R, M>[P &
  keyof Table<R, M>]

type In<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferInput<S> : never
type Has<O, K extends string> = O extends { readonly [k in K]: StandardSchemaV1 } ? true : false
type Empty<T> = object extends T ? true : false

type ParamsPart<P extends string, O> =
  Has<O, "params"> extends true
    ? { params: In<O[keyof O & "params"]> }
    : keyof PathParams<P> extends never
      ? { params?: undefined }
      : { params: { [K in keyof PathParams<P>]: PathParams<P>[K] | number } }

type Part<O, K extends "query" | "headers" | "body", Loose> =
  Has<O, K> extends true
    ? Empty<In<O[keyof O & K]>> extends true
      ? { [k in K]?: In<O[keyof O & K]> }
      : { [k in K]: In<O[keyof O & K]> }
    : { [k in K]?: Loose }

// Headers are often set once with createClient({ headers }), so none is required per call.
type HeadersPart<O> = {
  headers?: Has<O, "headers"> extends true
    ? Partial<In<O[keyof O & "headers"]>> & Record<string, string>
    : Record<string, string>
}

type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined

/**
 * What a call takes: params, query, body and headers as the route declares them.
 * @example
 * ```ts
 * import type { RequestInput } from "truss/client"
 * const input: RequestInput<"/notes/:id", object> = { params: { id: 7 }, query: { tab: "all" } }
 * ```
 */
export type RequestInput<P extends string, O> = ParamsPart<P, O> &
  Part<O, "query", Record<string, QueryValue>> &
  HeadersPart<O> &
  Part<O, "body", unknown> & {
    /** Extra `fetch` options (signal, credentials, …). */
    init?: RequestInit
  }

/**
 * The call's argument list: optional when nothing is required.
 * @example
 * ```ts
 * import type { InputArgs } from "truss/client"
 * type Args = InputArgs<"/ping", object> // [input?: …]: nothing is required
 * ```
 */
export type InputArgs<P extends string, O> =
  Empty<RequestInput<P, O>> extends true
    ? [input?: RequestInput<P, O>]
    : [input: RequestInput<P, O>]

type IsOk<S extends number> = `${S}` extends `2${string}` ? true : false

/**
 * One typed response: narrow the union on `status` (or `ok`) to get `data`'s type.
 * @example
 * ```ts
 * import type { ClientResponse } from "truss/client"
 * declare const res: ClientResponse<200, { id: number }> | ClientResponse<404, { detail: string }>
 * if (res.status === 404) res.data.detail
 * ```
 */
export interface ClientResponse<S extends number, D> {
  /** The HTTP status; a literal for declared responses. */
  readonly status: S
  /** True for 2xx. */
  readonly ok: number extends S ? boolean : IsOk<S>
  /** The parsed body: JSON, text, or `null` for an empty body. */
  readonly data: D
  /** Response headers. */
  readonly headers: Headers
  /** The raw response (its body already read). */
  readonly response: Response
}

/**
 * Every status code registered with IANA: what a response may carry.
 * @example
 * ```ts
 * import type { HttpStatus } from "truss/client"
 * const teapot: HttpStatus = 418
 * ```
 */
export type HttpStatus =
  | 100
  | 101
  | 102
  | 103
  | 200
  | 201
  | 202
  | 203
  | 204
  | 205
  | 206
  | 207
  | 208
  | 226
  | 300
  | 301
  | 302
  | 303
  | 304
  | 305
  | 307
  | 308
  | 400
  | 401
  | 402
  | 403
  | 404
  | 405
  | 406
  | 407
  | 408
  | 409
  | 410
  | 411
  | 412
  | 413
  | 414
  | 415
  | 416
  | 417
  | 418
  | 421
  | 422
  | 423
  | 424
  | 425
  | 426
  | 428
  | 429
  | 431
  | 451
  | 500
  | 501
  | 502
  | 503
  | 504
  | 505
  | 506
  | 507
  | 508
  | 510
  | 511

/**
 * RFC 9457 problem details, as Truss sends errors.
 * @example
 * ```ts
 * import type { ProblemDetails } from "truss/client"
 * const problem: ProblemDetails = { type: "about:blank", title: "Not Found", status: 404, code: "TRUSS_ERR_NOT_FOUND" }
 * ```
 */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  code?: string
  detail?: string
  errors?: ValidationIssue[]
  [key: string]: unknown
}

/**
 * Any response with a status the route does not declare (a 500, a proxy's 502, …).
 * @example
 * ```ts
 * import type { OtherResponse } from "truss/client"
 * declare const res: OtherResponse<200>
 * res.status // any registered status but 200; res.data is unknown
 * ```
 */
export type OtherResponse<Declared extends number = never> = ClientResponse<
  Exclude<HttpStatus, Declared>,
  unknown
>

type Out<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : never
type Declared<Res> = {
  [S in keyof Res & number]: ClientResponse<S, Out<Res[S]>>
}[keyof Res & number]
type Validates<O> = O extends { readonly params: object } | { readonly query: object }
  ? true
  : O extends { readonly headers: object } | { readonly body: object }
    ? true
    : O extends { readonly cookies: object }
      ? true
      : false
type AutoProblem<O, Res> =
  Validates<O> extends true
    ? 422 extends keyof Res
      ? never
      : ClientResponse<
          422,
          ProblemDetails & { code: "TRUSS_ERR_VALIDATION"; errors: ValidationIssue[] }
        >
    : never

type Inferred<R> = R extends Response
  ? never
  : ReplyTypes<R> extends { body: infer B; status: infer S extends number }
    ? ClientResponse<S, B>
    : ClientResponse<200, R>

type Known<O, R> =
  | (O extends { readonly response: infer Res } ? Declared<Res> : Inferred<Awaited<R>>)
  | AutoProblem<O, O extends { readonly response: infer Res } ? Res : object>

/**
 * The union of responses a route can give, discriminated on `status`: the declared
 * ones (or those the handler's return type shows), a 422 problem when the route
 * validates input, and {@link OtherResponse} for every other status.
 * @example
 * ```ts
 * import type { RoutesOf } from "truss"
 * import type { ResponseOf } from "truss/client"
 * import { App } from "truss"
 * import { z } from "zod"
 * const app = new App().get("/notes/:id", { response: { 200: z.object({ text: z.string() }) } }, () => ({ text: "hi" }))
 * type R = RoutesOf<typeof app>
 * type Res = ResponseOf<R["GET"]["/notes/:id"]> // ClientResponse<200, { text: string }> | OtherResponse<200>
 * ```
 */
export type ResponseOf<T> =
  T extends RouteType<infer O, infer R> ? Known<O, R> | OtherResponse<Known<O, R>["status"]> : never

/** The options type of a route. */
export type OptionsOf<T> = T extends RouteType<infer O, unknown> ? O : never

/**
 * A typed client for an app's routes: `client.get("/notes/:id", { params: { id: 1 } })`.
 * @example
 * ```ts
 * import type { RoutesOf } from "truss"
 * import type { Client } from "truss/client"
 * import { App } from "truss"
 * import { z } from "zod"
 * const app = new App().get("/notes/:id", { response: { 200: z.object({ text: z.string() }) } }, () => ({ text: "hi" }))
 * type R = RoutesOf<typeof app>
 * declare const client: Client<R>
 * await client.get("/notes/:id", { params: { id: 1 } })
 * ```
 */
export type Client<R> = {
  [M in ClientMethod]: <P extends PathsOf<R, M>>(
    path: P,
    ...args: InputArgs<P, OptionsOf<RouteAt<R, M, P>>>
  ) => Promise<ResponseOf<RouteAt<R, M, P>>>
}

/**
 * The route table of an app type, for {@link Client}.
 * @example
 * ```ts
 * import type { ClientRoutes } from "truss/client"
 * import { App } from "truss"
 * import { z } from "zod"
 * const app = new App().get("/notes/:id", { response: { 200: z.object({ text: z.string() }) } }, () => ({ text: "hi" }))
 * type R = ClientRoutes<typeof app>
 * ```
 */
export type ClientRoutes<A> = RoutesOf<A>
