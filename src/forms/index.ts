/**
 * `truss/forms`: parse urlencoded and multipart bodies into a Standard Schema (zod
 * 4 first) or a `truss/orm` model, with typed data or per-field errors, and a form
 * state templates render (values, errors, fields).
 *
 * @example
 * ```ts
 * import { form } from "truss/forms"
 * import { z } from "zod"
 * const noteForm = form(z.object({ title: z.string().min(1), pinned: z.boolean() }))
 * const result = await noteForm.parse(new URLSearchParams("title=Hi"))
 * if (result.ok) result.data.pinned // false: an unchecked checkbox
 * ```
 * @module
 */
export type { JsonSchema } from "./coerce.js"
export { formErrors } from "./errors.js"
export type { FileRule } from "./files.js"
export {
  Form,
  type FormInput,
  type FormOptions,
  type FormResult,
  type FormState,
  form,
  type ModelLike,
} from "./form.js"
export type { FieldErrors, FieldView } from "./state.js"
