import { defineError } from "../kit.js"

/**
 * Error codes of `truss/templates`. Each message names the template file and line.
 * @example
 * ```ts
 * import { templateErrors } from "truss/templates"
 * templateErrors.TEMPLATE_NOT_FOUND.code // "TRUSS_ERR_TEMPLATE_NOT_FOUND"
 * ```
 */
export const templateErrors = {
  TEMPLATE_NOT_FOUND: defineError(
    "TRUSS_ERR_TEMPLATE_NOT_FOUND",
    (p: { name: string; dirs: string; from: string }) =>
      `Template "${p.name}" was not found in ${p.dirs}${p.from}. Check the name passed to c.render(), {% layout %}, {% render %} or {% include %}: it is relative to templates({ dir }).`,
    500,
  ),
  TEMPLATE_SYNTAX: defineError(
    "TRUSS_ERR_TEMPLATE_SYNTAX",
    (p: { where: string; reason: string }) =>
      `Template syntax error in ${p.where}: ${p.reason}. Fix the tag or output at that line.`,
    500,
  ),
  TEMPLATE_UNDEFINED: defineError(
    "TRUSS_ERR_TEMPLATE_UNDEFINED",
    (p: { where: string; variable: string }) =>
      `Undefined variable "${p.variable}" in ${p.where}. Pass it in the data given to c.render(), or write {{ ${p.variable} | default: "" }} if it is optional.`,
    500,
  ),
  TEMPLATE_RENDER: defineError(
    "TRUSS_ERR_TEMPLATE_RENDER",
    (p: { where: string; reason: string }) => `Rendering failed in ${p.where}: ${p.reason}`,
    500,
  ),
  TEMPLATE_NO_REQUEST: defineError(
    "TRUSS_ERR_TEMPLATE_NO_REQUEST",
    (p: { helper: string }) =>
      `The "${p.helper}" helper needs a request: render with c.render() inside a route, or pass the context to engine.render(name, data, c).`,
    500,
  ),
  TEMPLATES_REQUIRED: defineError(
    "TRUSS_ERR_TEMPLATES_REQUIRED",
    "c.render() needs the templates middleware: add app.use(templates({ dir })) from truss/templates.",
    500,
  ),
  TEMPLATE_CSRF_UNAVAILABLE: defineError(
    "TRUSS_ERR_TEMPLATE_CSRF_UNAVAILABLE",
    "{% csrf %} needs a CSRF token: add app.use(sessions({ secret }), csrf()) from truss/sessions and truss/security.",
    500,
  ),
} as const
