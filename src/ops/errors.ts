import { defineError } from "../kit.js"

/**
 * The error codes of `truss/ops`; each is listed in docs/errors.md.
 * @example
 * ```ts
 * import { opsErrors } from "truss/ops"
 * opsErrors.NOT_READY.status // 503
 * ```
 */
export const opsErrors = {
  NOT_READY: defineError(
    "TRUSS_ERR_OPS_NOT_READY",
    (p: { failing: string }) =>
      `Not ready: ${p.failing}. The app is up but a service it needs is not answering; the checks member says which.`,
    503,
  ),
  METRICS_UNAUTHORIZED: defineError(
    "TRUSS_ERR_OPS_METRICS_UNAUTHORIZED",
    "The metrics endpoint needs Authorization: Bearer <token>, the token given to metrics({ token }).",
    401,
  ),
  BAD_CHECK: defineError(
    "TRUSS_ERR_OPS_BAD_CHECK",
    (p: { name: string }) =>
      `The readiness check "${p.name}" is not a function: pass health({ checks: { ${p.name}: () => ping() } }), e.g. databaseCheck(db).`,
    500,
  ),
} as const
