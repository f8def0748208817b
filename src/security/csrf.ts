import {
  type Context,
  defineViewLocal,
  extendContext,
  type Middleware,
  type Next,
  SLOTS,
  slotsOf,
} from "../kit.js"
// Loaded for c.session: the CSRF secret lives in the session.
import "../sessions/index.js"
import type { Session } from "../sessions/index.js"
import { csrfTokenMatches, maskCsrfToken, newCsrfSecret } from "./csrf-token.js"
import { securityErrors } from "./errors.js"

declare module "../kit.js" {
  interface Slots {
    /** Issues a masked token; set by `csrf()` for this request. */
    csrfToken?: (c: Context) => string
  }
  interface Context {
    /** The CSRF token for forms and the `x-csrf-token` header; needs `csrf()` from `truss/security`. */
    readonly csrfToken: string
  }
  interface RouteOptions {
    /** `false` exempts the route from `csrf()` (webhooks, token-authenticated APIs). @default true */
    csrf?: boolean
  }
}

/**
 * Options of {@link csrf}.
 * @example
 * ```ts
 * import type { CsrfOptions } from "truss/security"
 * const options: CsrfOptions = { origins: ["https://admin.example.com"], exempt: [/^\/webhooks\//] }
 * ```
 */
export interface CsrfOptions {
  /** Other origins allowed to post here, e.g. `["https://admin.example.com"]`. The request's own origin always is. */
  origins?: readonly string[]
  /** Requests to skip: a predicate, or paths (exact strings or RegExps). */
  exempt?: ((c: Context) => boolean) | readonly (string | RegExp)[]
  /** The request header that carries the token. @default "x-csrf-token" */
  header?: string
  /** The form field that carries the token. @default "_csrf" */
  field?: string
  /** The methods checked. @default ["POST", "PUT", "PATCH", "DELETE"] */
  methods?: readonly string[]
}

/** The session key holding the per-session CSRF secret. */
const CSRF_SESSION_KEY = "_csrf"

const UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"])
const BEARER = /^bearer\s/i

/** The loose view of a session the token needs (its key is not in `SessionData`). */
interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/**
 * CSRF protection for cookie sessions (needs `sessions()` before it). Unsafe methods
 * must come from this site or an allowed origin (Origin, else Referer) and carry the
 * synchronizer token from the session: a form field (`_csrf`, urlencoded or multipart)
 * or the `x-csrf-token` header. Each call of `c.csrfToken` gives a freshly masked token.
 *
 * Exempt: safe methods, routes declared with `{ csrf: false }`, `exempt` matches, and
 * requests with `Authorization: Bearer …` that carry no session cookie (cookie-less
 * API clients cannot be forged by a browser).
 *
 * @param options - `origins`, `exempt`, `header`, `field`, `methods`.
 * @throws 403 TRUSS_ERR_CSRF_BAD_ORIGIN, TRUSS_ERR_CSRF_MISSING, TRUSS_ERR_CSRF_MISMATCH.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { csrf } from "truss/security"
 * import { sessions } from "truss/sessions"
 * const app = new App()
 * app.use(sessions({ secret: process.env.SESSION_SECRET ?? "" }), csrf())
 * app.get("/form", (c) => c.html(`<form method="post"><input type="hidden" name="_csrf" value="${c.csrfToken}"></form>`))
 * app.post("/form", () => "saved")
 * app.post("/hooks/stripe", { csrf: false }, () => "ok")
 * ```
 */
export function csrf(options: CsrfOptions = {}): Middleware {
  const methods = new Set(options.methods ?? UNSAFE)
  const header = (options.header ?? "x-csrf-token").toLowerCase()
  const field = options.field ?? "_csrf"
  const origins = new Set((options.origins ?? []).map((o) => new URL(o).origin))
  const exempt = exemptTest(options.exempt)
  return function csrf(c, next) {
    slotsOf(c).csrfToken = issueToken
    if (!methods.has(c.req.method) || isExempt(c, exempt)) return next()
    return check(c, next, origins, header, field)
  }
}

async function check(
  c: Context,
  next: Next,
  origins: ReadonlySet<string>,
  header: string,
  field: string,
): Promise<void> {
  checkOrigin(c, origins)
  let token = c.req.header(header)
  if (!token && FORM_TYPES.has(c.req.contentType)) {
    const value = (await c.req.form()).get(field)
    if (typeof value === "string") token = value
  }
  if (!token) throw securityErrors.CSRF_MISSING({ field, header })
  const secret = (c.session as unknown as RawSession).get(CSRF_SESSION_KEY)
  if (typeof secret !== "string" || !csrfTokenMatches(token, secret)) {
    throw securityErrors.CSRF_MISMATCH()
  }
  await next()
}

function issueToken(c: Context): string {
  const session = c.session as unknown as RawSession
  let secret = session.get(CSRF_SESSION_KEY)
  if (typeof secret !== "string") {
    secret = newCsrfSecret()
    session.set(CSRF_SESSION_KEY, secret)
  }
  return maskCsrfToken(secret as string)
}

function csrfTokenOf(c: Context): string {
  const issue = c[SLOTS]?.csrfToken
  if (issue === undefined) throw securityErrors.CSRF_REQUIRED()
  return issue(c)
}

extendContext("truss/security", "csrfToken", {
  get(this: Context) {
    return csrfTokenOf(this)
  },
})
defineViewLocal("csrfToken", csrfTokenOf)

function exemptTest(exempt: CsrfOptions["exempt"]): (c: Context) => boolean {
  if (exempt === undefined) return () => false
  if (typeof exempt === "function") return exempt
  const paths = [...exempt]
  return (c) => paths.some((p) => (typeof p === "string" ? c.req.path === p : p.test(c.req.path)))
}

function isExempt(c: Context, exempt: (c: Context) => boolean): boolean {
  if (c.route?.options.csrf === false || exempt(c)) return true
  const auth = c.req.header("authorization")
  if (auth === undefined || !BEARER.test(auth)) return false
  // Bearer-authenticated and no live cookie session: nothing a forged request could ride on.
  const session: Session | undefined = c[SLOTS]?.session
  return session === undefined || session.isNew
}

function checkOrigin(c: Context, allowed: ReadonlySet<string>): void {
  let origin = c.req.header("origin")
  if (origin !== undefined) origin = originOf(origin)
  else {
    const referer = c.req.header("referer")
    // Neither header: not a browser we can judge (or a privacy setting); the token decides.
    if (referer === undefined) return
    origin = originOf(referer)
  }
  const own = ownOrigin(c)
  if (origin === own || allowed.has(origin)) return
  throw securityErrors.CSRF_BAD_ORIGIN({ origin, own })
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return "null"
  }
}

function ownOrigin(c: Context): string {
  return originOf(`${c.req.protocol}://${c.req.host}`)
}
