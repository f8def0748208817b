/**
 * The coded errors of `truss/admin`.
 * @module
 */
import { defineError } from "../kit.js"

/**
 * The errors `truss/admin` throws, by code.
 * @example
 * ```ts
 * import { adminErrors } from "truss/admin"
 * adminErrors.NOT_FOUND({ model: "post", id: "7" }).status // 404
 * ```
 */
export const adminErrors = {
  AUTH_REQUIRED: defineError(
    "TRUSS_ERR_ADMIN_AUTH_REQUIRED",
    "The admin needs the auth() middleware from truss/auth. Add app.use(sessions({ secret }), auth({ db })) before app.register(admin.site({ db })).",
    500,
  ),
  ALREADY_REGISTERED: defineError(
    "TRUSS_ERR_ADMIN_ALREADY_REGISTERED",
    (p: { model: string }) =>
      `The model "${p.model}" is registered with the admin twice. Register it once, with all its options.`,
    500,
  ),
  UNKNOWN_FIELD: defineError(
    "TRUSS_ERR_ADMIN_UNKNOWN_FIELD",
    (p: { model: string; option: string; field: string; known: string }) =>
      `admin.register(${p.model}): ${p.option} names "${p.field}", which ${p.model} does not have. Use one of: ${p.known}.`,
    500,
  ),
  INVALID_OPTION: defineError(
    "TRUSS_ERR_ADMIN_INVALID_OPTION",
    (p: { model: string; option: string; reason: string }) =>
      `admin.register(${p.model}): ${p.option} ${p.reason}.`,
    500,
  ),
  NOT_FOUND: defineError(
    "TRUSS_ERR_ADMIN_NOT_FOUND",
    (p: { model: string; id: string }) =>
      `There is no ${p.model} with id "${p.id}". It may have been deleted; go back to the list.`,
    404,
  ),
  PERMISSION_DENIED: defineError(
    "TRUSS_ERR_ADMIN_PERMISSION_DENIED",
    (p: { need: string }) =>
      `You may not do this in the admin (needs ${p.need}). Ask an administrator for the permission.`,
    403,
  ),
  READ_ONLY: defineError(
    "TRUSS_ERR_ADMIN_READ_ONLY",
    (p: { model: string }) =>
      `The admin shows ${p.model} rows read-only: they are not added or edited in a form (editable: false). Use the list's actions or delete instead.`,
    403,
  ),
  UNKNOWN_ACTION: defineError(
    "TRUSS_ERR_ADMIN_UNKNOWN_ACTION",
    (p: { action: string }) =>
      `There is no bulk action "${p.action}" on this page. Pick one from the actions menu.`,
    400,
  ),
}
