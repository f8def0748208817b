import { randomFillSync } from "node:crypto"
import { DONE, type Middleware } from "../compose.js"
import type { Context } from "../context.js"

declare module "../slots.js" {
  interface Slots {
    /** This request's CSP nonce, made by the first `cspNonce(c)`. */
    cspNonce?: string
    /** Set once a `secureHeaders()` has written this response's headers. */
    secureHeadersSent?: boolean
    /** Makes the nonce on first use; templates call it for `{{ cspNonce }}`. */
    makeCspNonce?: (c: Context) => string
  }
}

/**
 * Content-Security-Policy settings.
 * @example
 * ```ts
 * import type { CspOptions } from "truss/security"
 * const csp: CspOptions = { directives: { "img-src": ["'self'", "https://cdn.example.com"] } }
 * ```
 */
export interface CspOptions {
  /**
   * Directives merged over the defaults; `false` drops one. The source `"'nonce'"`
   * stands for this request's nonce (`'nonce-…'`).
   */
  directives?: Record<string, readonly string[] | false>
  /** Send `Content-Security-Policy-Report-Only` instead: reports, blocks nothing. @default false */
  reportOnly?: boolean
}

/**
 * Options of {@link secureHeaders}; `false` leaves a header out.
 * @example
 * ```ts
 * import type { SecureHeadersOptions } from "truss/security"
 * const options: SecureHeadersOptions = { xFrameOptions: "SAMEORIGIN", permissionsPolicy: false }
 * ```
 */
export interface SecureHeadersOptions {
  /** @default the directives in {@link DEFAULT_CSP} */
  contentSecurityPolicy?: CspOptions | false
  /** Sent on HTTPS requests only. @default { maxAge: 31536000, includeSubDomains: true } */
  strictTransportSecurity?:
    | { maxAge?: number; includeSubDomains?: boolean; preload?: boolean }
    | false
  /** `X-Content-Type-Options: nosniff`. @default true */
  xContentTypeOptions?: boolean
  /** @default "DENY" */
  xFrameOptions?: "DENY" | "SAMEORIGIN" | false
  /** @default "same-origin" */
  referrerPolicy?: string | false
  /** @default "same-origin" */
  crossOriginOpenerPolicy?: "same-origin" | "same-origin-allow-popups" | "unsafe-none" | false
  /** Features by allow-list; `[]` disables one. @default camera, microphone, geolocation, payment, usb: none */
  permissionsPolicy?: Record<string, readonly string[]> | false
  /**
   * What data responses (JSON and `+json`, `text/plain`, `text/csv`,
   * `text/event-stream`) get. `"minimal"`: the set OWASP's REST Security Cheat Sheet
   * lists, `nosniff`, `X-Frame-Options` and `Content-Security-Policy: default-src
   * 'none'; frame-ancestors 'none'` (plus HSTS on HTTPS), since the page policy,
   * Referrer-Policy, Cross-Origin-Opener-Policy and Permissions-Policy only act on
   * documents. `"full"`: the page set on every response. @default "minimal"
   */
  dataResponses?: "minimal" | "full"
}

/**
 * The placeholder for the per-request nonce in CSP directives.
 * @example
 * ```ts
 * import { NONCE, secureHeaders } from "truss/security"
 * secureHeaders({ contentSecurityPolicy: { directives: { "script-src": ["'self'", NONCE, "https://cdn.example.com"] } } })
 * ```
 */
export const NONCE = "'nonce'"

/**
 * The default CSP: same-origin everything, scripts and styles by nonce, no framing.
 * @example
 * ```ts
 * import { DEFAULT_CSP, secureHeaders } from "truss/security"
 * secureHeaders({ contentSecurityPolicy: { directives: { "img-src": [...(DEFAULT_CSP["img-src"] ?? []), "https:"] } } })
 * ```
 */
export const DEFAULT_CSP: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "object-src": ["'none'"],
  "img-src": ["'self'", "data:"],
  "script-src": ["'self'", NONCE],
  "style-src": ["'self'", NONCE],
})

const DEFAULT_PERMISSIONS = { camera: [], microphone: [], geolocation: [], payment: [], usb: [] }

/** Data responses: no document policy applies to them. */
const DATA_TYPE = /^(?:application\/(?:[\w.-]+\+)?json|text\/(?:plain|csv|event-stream))\s*(?:;|$)/i

// Responses mostly carry one of a few constant content types: remember the last answer.
let lastType: unknown
let lastIsData = false
function isDataType(type: unknown): boolean {
  if (type !== lastType) {
    lastType = type
    lastIsData = typeof type === "string" && DATA_TYPE.test(type)
  }
  return lastIsData
}

/**
 * Sets the security headers every HTML app wants: a Content-Security-Policy with a
 * per-request nonce, Strict-Transport-Security (HTTPS only), `nosniff`,
 * `X-Frame-Options: DENY` with `frame-ancestors 'none'` (clickjacking),
 * Referrer-Policy, Cross-Origin-Opener-Policy and Permissions-Policy.
 *
 * The headers are chosen once the response is built, by its type: pages (and any
 * type not listed under `dataResponses`) get the set above, with the nonce in the CSP
 * only when something read `cspNonce(c)` (no nonce, no inline script); JSON and plain
 * text get the minimal set (`dataResponses`). A header the handler set itself is kept.
 * Use it app-wide, and again as route middleware to change headers for one route:
 * the inner call decides for that route and keeps the same nonce.
 * Templates put `cspNonce(c)` on their inline `<script nonce>` tags.
 * @param options - one entry per header; `false` leaves it out.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cspNonce, secureHeaders } from "truss/security"
 * const app = new App()
 * app.use(secureHeaders())
 * app.get("/", (c) => c.html(`<script nonce="${cspNonce(c)}">console.log("hi")</script>`))
 * app.get("/embed", secureHeaders({ xFrameOptions: "SAMEORIGIN", contentSecurityPolicy: {
 *   directives: { "frame-ancestors": ["'self'"] } } }), () => "frameable by this site")
 * ```
 */
export function secureHeaders(options: SecureHeadersOptions = {}): Middleware {
  const page = fixedHeaders(options)
  const csp = cspTemplate(options.contentSecurityPolicy)
  const hsts = hstsValue(options.strictTransportSecurity)
  const minimal = options.dataResponses !== "full"
  const data = page.filter(
    ([name]) => name === "x-content-type-options" || name === "x-frame-options",
  )
  if (csp !== undefined) data.push([csp.header, "default-src 'none'; frame-ancestors 'none'"])
  const apply = (c: Context): void => {
    c.slots ??= {} // a handler may have replaced them
    if (c.slots.secureHeadersSent) return
    c.slots.secureHeadersSent = true
    const headers = c.headers
    if (minimal && isDataType(headers["content-type"])) {
      for (const [name, value] of data) headers[name] ??= value
    } else {
      for (const [name, value] of page) headers[name] ??= value
      if (csp !== undefined) {
        const nonce = c.slots.cspNonce
        headers[csp.header] ??= nonce === undefined ? csp.withoutNonce : csp.parts.join(nonce)
      }
    }
    if (hsts !== undefined && c.req.secure) headers["strict-transport-security"] ??= hsts
  }
  return function secureHeaders(c, next) {
    c.slots ??= {}
    c.slots.makeCspNonce = cspNonce
    const done = next()
    if (done === DONE) {
      apply(c)
      return DONE
    }
    return done.then(() => apply(c))
  }
}

/**
 * This request's CSP nonce, for `<script nonce="…">` and `<style nonce="…">`; made
 * on first use and the same for the rest of the request.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { cspNonce, secureHeaders } from "truss/security"
 * const app = new App().use(secureHeaders())
 * app.get("/", (c) => c.html(`<script nonce="${cspNonce(c)}">start()</script>`))
 * ```
 */
export function cspNonce(c: Context): string {
  let slots = c.slots
  if (slots === undefined) {
    slots = {}
    c.slots = slots
  }
  if (slots.cspNonce === undefined) slots.cspNonce = newNonce()
  return slots.cspNonce
}

function fixedHeaders(o: SecureHeadersOptions): [string, string][] {
  const out: [string, string][] = []
  if (o.xContentTypeOptions !== false) out.push(["x-content-type-options", "nosniff"])
  const frame = o.xFrameOptions ?? "DENY"
  if (frame !== false) out.push(["x-frame-options", frame])
  const referrer = o.referrerPolicy ?? "same-origin"
  if (referrer !== false) out.push(["referrer-policy", referrer])
  const coop = o.crossOriginOpenerPolicy ?? "same-origin"
  if (coop !== false) out.push(["cross-origin-opener-policy", coop])
  const permissions = o.permissionsPolicy ?? DEFAULT_PERMISSIONS
  if (permissions !== false) {
    const value = Object.entries(permissions)
      .map(([feature, allow]) => `${feature}=(${allow.join(" ")})`)
      .join(", ")
    out.push(["permissions-policy", value])
  }
  return out
}

function cspTemplate(
  o: CspOptions | false | undefined,
): { header: string; parts: string[]; withoutNonce: string } | undefined {
  if (o === false) return undefined
  const merged: Record<string, readonly string[] | false> = { ...DEFAULT_CSP, ...o?.directives }
  const directives = Object.entries(merged).filter(
    (e): e is [string, readonly string[]] => e[1] !== false,
  )
  const render = (drop?: string) =>
    directives
      .map(([name, sources]) => [name, ...sources.filter((s) => s !== drop)].join(" "))
      .join("; ")
  const text = render()
  const header = o?.reportOnly ? "content-security-policy-report-only" : "content-security-policy"
  // Without a nonce nothing inline can run: the same policy with the nonce left out.
  const withoutNonce = render(NONCE)
  // Split around the nonce once, so each request only joins its nonce in.
  return { header, parts: text.replaceAll(NONCE, "'nonce-\0'").split("\0"), withoutNonce }
}

function hstsValue(o: SecureHeadersOptions["strictTransportSecurity"]): string | undefined {
  if (o === false) return undefined
  let value = `max-age=${o?.maxAge ?? 31_536_000}`
  if (o?.includeSubDomains ?? true) value += "; includeSubDomains"
  if (o?.preload) value += "; preload"
  return value
}

// Nonces come from a pooled buffer: one getrandom call per 256 requests.
const POOL = Buffer.allocUnsafe(4096)
let offset = POOL.length

function newNonce(): string {
  if (offset === POOL.length) {
    randomFillSync(POOL)
    offset = 0
  }
  const nonce = POOL.toString("base64", offset, offset + 16)
  offset += 16
  return nonce
}
