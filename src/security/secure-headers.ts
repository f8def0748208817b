import {
  type Context,
  DONE,
  defineViewLocal,
  type Middleware,
  type ResponseHeaders,
  randomString,
  SLOTS,
  slotsOf,
} from "../kit.js"

declare module "../kit.js" {
  interface Slots {
    /** This request's CSP nonce, made by the first `cspNonce(c)`. */
    cspNonce?: string
    /** Set once a `secureHeaders()` has written this response's headers. */
    secureHeadersSent?: boolean
    /** Set while a `secureHeaders()` runs: a view's `{{ cspNonce }}` then makes the nonce. */
    cspNonceWanted?: boolean
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
  const fixed = fixedHeaders(options)
  const csp = cspTemplate(options.contentSecurityPolicy)
  const hsts = hstsValue(options.strictTransportSecurity)
  const minimal = options.dataResponses !== "full"
  const apply = (c: Context): void => {
    const slots = slotsOf(c) // a handler may have replaced them
    if (slots.secureHeadersSent) return
    slots.secureHeadersSent = true
    const headers = c.headers
    if (minimal && isDataType(headers["content-type"])) {
      setFixed(headers, fixed, false)
      if (csp !== undefined) setCsp(headers, csp.reportOnly, DATA_CSP)
    } else {
      setFixed(headers, fixed, true)
      if (csp !== undefined) {
        const nonce = slots.cspNonce
        setCsp(
          headers,
          csp.reportOnly,
          nonce === undefined ? csp.withoutNonce : csp.parts.join(nonce),
        )
      }
    }
    if (hsts !== undefined && c.req.secure) headers["strict-transport-security"] ??= hsts
  }
  return function secureHeaders(c, next) {
    slotsOf(c).cspNonceWanted = true
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
  const slots = slotsOf(c)
  if (slots.cspNonce === undefined) slots.cspNonce = randomString(16, "base64")
  return slots.cspNonce
}

// The nonce goes into the CSP only once something (a template) has asked for it.
defineViewLocal("cspNonce", (c) => {
  const slots = c[SLOTS]
  if (slots?.cspNonce !== undefined) return slots.cspNonce
  return slots?.cspNonceWanted ? cspNonce(c) : null
})

/** The fixed headers' values; undefined leaves one out. */
interface Fixed {
  nosniff: string | undefined
  frame: string | undefined
  referrer: string | undefined
  opener: string | undefined
  permissions: string | undefined
}

/** What data responses get for a CSP: nothing loads, nothing frames them. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'"

function fixedHeaders(o: SecureHeadersOptions): Fixed {
  const frame = o.xFrameOptions ?? "DENY"
  const referrer = o.referrerPolicy ?? "same-origin"
  const opener = o.crossOriginOpenerPolicy ?? "same-origin"
  const permissions = o.permissionsPolicy ?? DEFAULT_PERMISSIONS
  return {
    nosniff: o.xContentTypeOptions === false ? undefined : "nosniff",
    frame: frame === false ? undefined : frame,
    referrer: referrer === false ? undefined : referrer,
    opener: opener === false ? undefined : opener,
    permissions:
      permissions === false
        ? undefined
        : Object.entries(permissions)
            .map(([feature, allow]) => `${feature}=(${allow.join(" ")})`)
            .join(", "),
  }
}

// Each header is stored under its literal name: these stores stay monomorphic, where a
// loop over [name, value] pairs made every load and store megamorphic (~0.1 µs a
// request on the hello route). Data responses get only the first two.
function setFixed(headers: ResponseHeaders, f: Fixed, page: boolean): void {
  if (f.nosniff !== undefined) headers["x-content-type-options"] ??= f.nosniff
  if (f.frame !== undefined) headers["x-frame-options"] ??= f.frame
  if (!page) return
  if (f.referrer !== undefined) headers["referrer-policy"] ??= f.referrer
  if (f.opener !== undefined) headers["cross-origin-opener-policy"] ??= f.opener
  if (f.permissions !== undefined) headers["permissions-policy"] ??= f.permissions
}

function setCsp(headers: ResponseHeaders, reportOnly: boolean, value: string): void {
  if (reportOnly) headers["content-security-policy-report-only"] ??= value
  else headers["content-security-policy"] ??= value
}

function cspTemplate(
  o: CspOptions | false | undefined,
): { reportOnly: boolean; parts: string[]; withoutNonce: string } | undefined {
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
  // Without a nonce nothing inline can run: the same policy with the nonce left out.
  const withoutNonce = render(NONCE)
  // Split around the nonce once, so each request only joins its nonce in.
  return {
    reportOnly: o?.reportOnly === true,
    parts: text.replaceAll(NONCE, "'nonce-\0'").split("\0"),
    withoutNonce,
  }
}

function hstsValue(o: SecureHeadersOptions["strictTransportSecurity"]): string | undefined {
  if (o === false) return undefined
  let value = `max-age=${o?.maxAge ?? 31_536_000}`
  if (o?.includeSubDomains ?? true) value += "; includeSubDomains"
  if (o?.preload) value += "; preload"
  return value
}
