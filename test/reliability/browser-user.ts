/**
 * One user with one cookie jar (tough-cookie) who talks to any node: the jar is keyed by
 * host, so the session cookie set by one node goes to every node on 127.0.0.1.
 * @module
 */
import { CookieJar } from "tough-cookie"

export class BrowserUser {
  readonly jar = new CookieJar()
  /**
   * @param options - `secureOverHttp`: keep and send `Secure` cookies over plain http,
   * as a TLS-terminating proxy in front of a production app would.
   */
  constructor(readonly options: { secureOverHttp?: boolean } = {}) {}

  /** Sends `init` to `base + path` with the jar's cookies; stores any Set-Cookie. */
  async request(base: string, path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, base).toString()
    const jarUrl = this.options.secureOverHttp ? url.replace(/^http:/, "https:") : url
    const headers = new Headers(init.headers)
    const cookie = await this.jar.getCookieString(jarUrl)
    if (cookie) headers.set("cookie", cookie)
    const res = await fetch(url, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(5000),
    })
    for (const line of res.headers.getSetCookie()) await this.jar.setCookie(line, jarUrl)
    return res
  }

  /** GET, then the JSON body with the status. */
  async get(base: string, path: string): Promise<{ status: number; body: unknown }> {
    const res = await this.request(base, path)
    return { status: res.status, body: await res.json() }
  }

  /** POST JSON (with an `x-csrf-token` when given), then the JSON body with the status. */
  async post(
    base: string,
    path: string,
    json: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { "content-type": "application/json" }
    if (token) headers["x-csrf-token"] = token
    const res = await this.request(base, path, {
      method: "POST",
      headers,
      body: JSON.stringify(json),
    })
    return { status: res.status, body: await res.json() }
  }
}
