import { defineError } from "../kit.js"

/**
 * The error codes of `truss/security`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { securityErrors } from "truss/security"
 * const app = new App()
 * app.onError(403, (err, c) =>
 *   securityErrors.CSRF_MISMATCH.is(err) ? c.html("<p>The form expired: reload the page.</p>", 403) : undefined,
 * )
 * ```
 */
export const securityErrors = {
  CSRF_REQUIRED: defineError(
    "TRUSS_ERR_CSRF_REQUIRED",
    "c.csrfToken needs the CSRF middleware: add app.use(csrf()) from truss/security after sessions().",
    500,
  ),
  CSRF_MISSING: defineError(
    "TRUSS_ERR_CSRF_MISSING",
    (p: { field: string; header: string }) =>
      `This request needs a CSRF token and sent none. Add {% csrf %} to the form (a hidden "${p.field}" field holding c.csrfToken), or send the token in the ${p.header} header.`,
    403,
  ),
  CSRF_MISMATCH: defineError(
    "TRUSS_ERR_CSRF_MISMATCH",
    "The CSRF token does not match this session (a stale page, or a session that expired or changed). Reload the form and submit again.",
    403,
  ),
  CSRF_BAD_ORIGIN: defineError(
    "TRUSS_ERR_CSRF_BAD_ORIGIN",
    (p: { origin: string; own: string }) =>
      `Cross-site request refused: it comes from ${p.origin}, which is neither this site (${p.own}) nor one of csrf({ origins }). Add the origin to csrf({ origins: [...] }) if it is yours; behind a TLS-terminating proxy, set new App({ trustProxy }) so the app sees https.`,
    403,
  ),
  CORS_WILDCARD_CREDENTIALS: defineError(
    "TRUSS_ERR_CORS_WILDCARD_CREDENTIALS",
    'cors({ origin: "*", credentials: true }) would let every site read your users\' responses; browsers refuse it too. List the allowed origins: cors({ origin: ["https://app.example.com"], credentials: true }).',
    500,
  ),
  RATE_LIMIT_STORE_UNAVAILABLE: defineError(
    "TRUSS_ERR_RATE_LIMIT_STORE_UNAVAILABLE",
    "The rate-limit store cannot be reached right now (e.g. Redis is down), so the limit cannot be checked. Retry shortly.",
    503,
  ),
  RATE_LIMITED: defineError(
    "TRUSS_ERR_RATE_LIMITED",
    (p: { retryAfter: number }) =>
      `Too many requests. Wait ${p.retryAfter} second${p.retryAfter === 1 ? "" : "s"} before trying again.`,
    429,
  ),
} as const
