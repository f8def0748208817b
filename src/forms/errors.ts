import { defineError } from "../kit.js"

/**
 * Error codes of `truss/forms`.
 * @example
 * ```ts
 * import { formErrors } from "truss/forms"
 * formErrors.FORM_SCHEMA_INVALID.code // "TRUSS_ERR_FORM_SCHEMA_INVALID"
 * ```
 */
export const formErrors = {
  FORM_SCHEMA_INVALID: defineError(
    "TRUSS_ERR_FORM_SCHEMA_INVALID",
    "form(schema) needs a Standard Schema (zod 4, valibot, arktype, a truss/orm model or model.createSchema). Pass one of those.",
    500,
  ),
} as const
