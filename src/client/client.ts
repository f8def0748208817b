import type { Client, ClientMethod, ClientRoutes } from "./types.js"

/**
 * Options for {@link createClient}.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { type ClientOptions, createClient } from "truss/client"
 * const options: ClientOptions = { headers: () => ({ authorization: "Bearer token" }) }
 * const app = new App().get("/me", () => ({ name: "Ada" }))
 * const client = createClient<typeof app>("https://api.example.com", options)
 * ```
 */
export interface ClientOptions {
  /** The `fetch` to use (a mock, undici, a service binding). @default globalThis.fetch */
  fetch?: (input: Request) => Promise<Response>
  /** Headers for every call, or a function that returns them (e.g. a fresh token). */
  headers?:
    | Record<string, string>
    | (() => Record<string, string> | Promise<Record<string, string>>)
}

/**
 * Anything with `app.request()`: an app, for in-process calls.
 * @example
 * ```ts
 * import { App } from "truss"
 * import type { InProcess } from "truss/client"
 * const target: InProcess = new App()
 * ```
 */
export interface InProcess {
  request(input: Request): Promise<Response>
}

interface CallInput {
  params?: Record<string, unknown>
  query?: Record<string, unknown>
  headers?: Record<string, string>
  body?: unknown
  init?: RequestInit
}

/**
 * A typed client for an app: calls are checked against the app's routes (path params,
 * query, body) and resolve to a union of the declared responses, discriminated on
 * `status`. Pass a base URL to call over HTTP, or the app itself to run in-process
 * through `app.request()`. The app's type carries its routes when they are chained
 * (`new App().get(…).post(…)`).
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createClient } from "truss/client"
 * import { z } from "zod"
 * const app = new App().get("/notes/:id", { params: z.object({ id: z.number() }), response: { 200: z.object({ id: z.number() }) } }, (c) => c.valid("params"))
 * const client = createClient<typeof app>(app)
 * const res = await client.get("/notes/:id", { params: { id: 7 } })
 * if (res.status === 200) res.data.id // number
 * ```
 */
export function createClient<A>(
  target: string | URL | InProcess,
  options: ClientOptions = {},
): Client<ClientRoutes<A>> {
  const base =
    typeof target === "string" || target instanceof URL
      ? String(target).replace(/\/$/, "")
      : "http://localhost"
  const send =
    typeof target === "object" && "request" in target
      ? (req: Request) => target.request(req)
      : (options.fetch ?? ((req: Request) => fetch(req)))
  const call = async (method: string, path: string, input: CallInput = {}) => {
    const url = base + buildPath(path, input.params) + buildQuery(input.query)
    const headers = new Headers(input.init?.headers)
    const common = typeof options.headers === "function" ? await options.headers() : options.headers
    for (const [k, v] of Object.entries(common ?? {})) if (!headers.has(k)) headers.set(k, v)
    for (const [k, v] of Object.entries(input.headers ?? {})) headers.set(k, v)
    if (!headers.has("accept")) headers.set("accept", "application/json")
    let body: BodyInit | undefined
    if (input.body !== undefined) {
      if (isRawBody(input.body)) body = input.body
      else {
        body = JSON.stringify(input.body)
        headers.set("content-type", "application/json")
      }
    }
    const response = await send(new Request(url, { ...input.init, method, headers, body }))
    const data = await parse(response)
    return { status: response.status, ok: response.ok, data, headers: response.headers, response }
  }
  const client = {} as Record<ClientMethod, unknown>
  for (const m of ["get", "post", "put", "patch", "delete"] as const) {
    client[m] = (path: string, input?: CallInput) => call(m.toUpperCase(), path, input)
  }
  return client as Client<ClientRoutes<A>>
}

const TOKEN = /:([A-Za-z0-9_]+)(\((?:\\.|[^)])*\))?(\?)?|\*/g

/**
 * Fills `:params` (percent-encoded) and `*` into a Truss path; drops missing optionals.
 * @example
 * ```ts
 * import { buildPath } from "truss/client"
 * buildPath("/users/:id/files/*", { id: 7, "*": "a/b.txt" }) // "/users/7/files/a/b.txt"
 * ```
 */
export function buildPath(path: string, params: Record<string, unknown> = {}): string {
  return path
    .replace(/\/:([A-Za-z0-9_]+)(\((?:\\.|[^)])*\))?\?/g, (all, name: string) =>
      params[name] === undefined ? "" : all.slice(0, -1),
    )
    .replace(TOKEN, (_all, name: string | undefined) => {
      if (name === undefined) return String(params["*"] ?? "")
      const value = params[name]
      if (value === undefined) throw new TypeError(`Missing path param "${name}" for ${path}`)
      return encodeURIComponent(String(value))
    })
}

function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return ""
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item))
  }
  const text = search.toString()
  return text ? `?${text}` : ""
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    body instanceof ReadableStream ||
    typeof body === "string"
  )
}

async function parse(res: Response): Promise<unknown> {
  const type = res.headers.get("content-type") ?? ""
  const text = await res.text()
  if (text === "") return null
  return /[/+]json\b/.test(type) ? JSON.parse(text) : text
}
