import type { StandardSchemaV1 } from "@standard-schema/spec"

/**
 * The request parts a route can validate.
 * @example
 * ```ts
 * import type { InputKey } from "truss"
 * const where: InputKey = "query"
 * ```
 */
export type InputKey = "params" | "query" | "headers" | "cookies" | "body"

/**
 * One failing field in a `TRUSS_ERR_VALIDATION` problem.
 * @example
 * ```ts
 * import type { ValidationIssue } from "truss"
 * const issue: ValidationIssue = { in: "body", path: "items.0.qty", message: "Too small", code: "too_small" }
 * ```
 */
export interface ValidationIssue {
  /** Which part of the request failed. */
  in: InputKey
  /** Dotted path inside that part, e.g. `items.0.qty`; `""` for the part itself. */
  path: string
  /** The validator's message. */
  message: string
  /** The validator's issue code, e.g. zod's `invalid_type`. */
  code: string
}

/** Turns a Standard Schema issue into the problem's `errors[]` entry. @internal */
export function toIssue(where: InputKey, issue: StandardSchemaV1.Issue): ValidationIssue {
  const raw = issue as StandardSchemaV1.Issue & { code?: unknown; type?: unknown }
  const code =
    typeof raw.code === "string" ? raw.code : typeof raw.type === "string" ? raw.type : "invalid"
  return { in: where, path: issuePath(issue), message: issue.message, code }
}

/** `["items", 0, "qty"]` → `"items.0.qty"`; path segments may be `{ key }` objects. */
export function issuePath(issue: StandardSchemaV1.Issue): string {
  if (!issue.path) return ""
  return issue.path
    .map((seg) => String(typeof seg === "object" && seg !== null ? seg.key : seg))
    .join(".")
}
