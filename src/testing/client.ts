import { CookieJar } from "tough-cookie"
import type { App } from "../kit.js"
import { openSocket, type TestSocket } from "./ws.js"

/**
 * Anything that answers web requests in-process: a Truss `App`, or your own.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createClient, type RequestTarget } from "truss/testing"
 * const target: RequestTarget = new App().get("/", () => "ok")
 * const client = createClient(target)
 * ```
 */
export interface RequestTarget {
  request(input: Request): Promise<Response>
}

/**
 * Options for {@link createClient}.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createClient } from "truss/testing"
 * const client = createClient(new App(), { headers: { authorization: "Bearer t" }, followRedirects: true })
 * ```
 */
export interface ClientOptions {
  /** Origin used for in-process requests and cookie matching. @default "http://localhost" */
  baseUrl?: string
  /** Headers sent with every request. */
  headers?: Record<string, string>
  /** Follow 301/302/303/307/308 redirects. @default false */
  followRedirects?: boolean
}

/**
 * Form values: strings, repeated values, or files (which make the body multipart).
 * @example
 * ```ts
 * import { createClient, type FormValues } from "truss/testing"
 * import { App } from "truss"
 * const values: FormValues = { title: "Hi", tags: ["a", "b"], avatar: new File(["png"], "me.png", { type: "image/png" }) }
 * await createClient(new App().post("/profile", () => "ok")).form("/profile", values)
 * ```
 */
export type FormValues = Record<
  string,
  string | number | boolean | Blob | ReadonlyArray<string | Blob>
>

const MAX_REDIRECTS = 10

/**
 * A test client with a cookie jar: cookies set by responses are sent back, like a
 * browser. Runs the app in-process (no socket), or talks to a URL over the network.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { TestClient } from "truss/testing"
 * const client = new TestClient(new App().get("/", () => "ok"))
 * const res = await client.get("/")
 * ```
 */
export class TestClient {
  /** The cookie jar (tough-cookie), shared by every request of this client. */
  readonly jar = new CookieJar()
  readonly #target: RequestTarget | undefined
  readonly #base: string
  readonly #options: ClientOptions

  constructor(target: RequestTarget | string, options: ClientOptions = {}) {
    this.#target = typeof target === "string" ? undefined : target
    this.#base = typeof target === "string" ? target : (options.baseUrl ?? "http://localhost")
    this.#options = options
  }

  /** Sends any request; cookies from the jar are added and `Set-Cookie` is stored. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let url = new URL(path, this.#base).toString()
    let current = init
    for (let hop = 0; ; hop++) {
      const res = await this.#send(url, current)
      const location = res.headers.get("location")
      if (
        !this.#options.followRedirects ||
        !location ||
        res.status < 300 ||
        res.status > 308 ||
        hop >= MAX_REDIRECTS
      ) {
        return res
      }
      url = new URL(location, url).toString()
      if (res.status !== 307 && res.status !== 308) current = { headers: init.headers }
    }
  }

  /** GET a path. */
  get(path: string, init?: RequestInit): Promise<Response> {
    return this.request(path, { ...init, method: "GET" })
  }

  /** HEAD a path. */
  head(path: string, init?: RequestInit): Promise<Response> {
    return this.request(path, { ...init, method: "HEAD" })
  }

  /** DELETE a path. */
  delete(path: string, init?: RequestInit): Promise<Response> {
    return this.request(path, { ...init, method: "DELETE" })
  }

  /** POST a JSON body (or none). */
  post(path: string, json?: unknown, init?: RequestInit): Promise<Response> {
    return this.#json("POST", path, json, init)
  }

  /** PUT a JSON body. */
  put(path: string, json?: unknown, init?: RequestInit): Promise<Response> {
    return this.#json("PUT", path, json, init)
  }

  /** PATCH a JSON body. */
  patch(path: string, json?: unknown, init?: RequestInit): Promise<Response> {
    return this.#json("PATCH", path, json, init)
  }

  /**
   * Submits a form, like a browser: urlencoded, or multipart when a value is a file.
   * @param options.method - @default "POST"
   */
  form(path: string, values: FormValues, init: RequestInit = {}): Promise<Response> {
    const entries = Object.entries(values).flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((one) => [k, one] as const),
    )
    const multipart = entries.some(([, v]) => v instanceof Blob)
    let body: BodyInit
    if (multipart) {
      const form = new FormData()
      for (const [k, v] of entries) form.append(k, v instanceof Blob ? v : String(v))
      body = form
    } else {
      body = new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))
    }
    return this.request(path, { method: "POST", ...init, body })
  }

  /**
   * Opens a WebSocket to `path`, with the jar's cookies and this client's headers; a
   * `Set-Cookie` on the 101 response goes into the jar. In-process (an `App` target) it
   * runs the app's upgrade path over in-memory streams; with a base URL, over a socket.
   * @throws UpgradeRefused with the status and body when the server refuses the upgrade.
   */
  async ws(path: string, init: { headers?: Record<string, string> } = {}): Promise<TestSocket> {
    const url = new URL(path, this.#base).toString()
    const headers: Record<string, string> = { ...this.#options.headers, ...init.headers }
    const cookie = await this.jar.getCookieString(url)
    if (cookie) headers.cookie = cookie
    const app = this.#target as App | undefined
    if (app !== undefined && typeof app.handle !== "function") {
      throw new TypeError(
        "client.ws() in-process needs a Truss App; pass a base URL for other targets",
      )
    }
    return openSocket(app, url, {
      headers,
      setCookie: async (line) => {
        await this.jar.setCookie(line, url, { ignoreError: true })
      },
    })
  }

  /** The cookies the jar would send to `path`, by name. */
  async cookies(path = "/"): Promise<Record<string, string>> {
    const cookies = await this.jar.getCookies(new URL(path, this.#base).toString())
    return Object.fromEntries(cookies.map((c) => [c.key, c.value]))
  }

  #json(method: string, path: string, json: unknown, init: RequestInit = {}): Promise<Response> {
    if (json === undefined) return this.request(path, { ...init, method })
    const headers = new Headers(init.headers)
    if (!headers.has("content-type")) headers.set("content-type", "application/json")
    return this.request(path, { ...init, method, headers, body: JSON.stringify(json) })
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(this.#options.headers)
    for (const [k, v] of new Headers(init.headers)) headers.set(k, v)
    const cookie = await this.jar.getCookieString(url)
    if (cookie) headers.set("cookie", cookie)
    const request = new Request(url, { ...init, headers, redirect: "manual" })
    const res = this.#target ? await this.#target.request(request) : await fetch(request)
    for (const line of res.headers.getSetCookie()) {
      await this.jar.setCookie(line, url, { ignoreError: true })
    }
    return res
  }
}

/**
 * Creates a {@link TestClient} for an app (in-process) or a base URL (over the network).
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createClient } from "truss/testing"
 * const app = new App()
 * app.post("/login", (c) => { c.cookie("sid", "abc"); return { ok: true } })
 * app.get("/me", (c) => ({ sid: c.req.cookies.sid }))
 * const client = createClient(app)
 * await client.post("/login", { user: "ada" })
 * const me = await (await client.get("/me")).json() // { sid: "abc" }
 * ```
 */
export function createClient(target: RequestTarget | string, options?: ClientOptions): TestClient {
  return new TestClient(target, options)
}
