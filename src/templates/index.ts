/**
 * `truss/templates`: LiquidJS templates with every output HTML-escaped, layouts and
 * blocks, partials, `url`/`static` filters, `{% csrf %}`, flash messages and coded
 * errors that name the file and line. `app.use(templates({ dir }))` turns on
 * `c.render()`.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { templates } from "truss/templates"
 * const app = new App()
 * app.use(templates({ dir: "./templates" }))
 * app.get("/hello/:name", { name: "hello" }, (c) => c.render("hello.html", { name: c.params.name }))
 * ```
 * @module
 */
export type { Renderer } from "./context.js"
export { TemplateEngine, type TemplatesOptions } from "./engine.js"
export { templateErrors } from "./errors.js"
export { escapeText } from "./helpers.js"
export type { FilterDefinition, TagDefinition } from "./liquid-types.js"
export type { RequestView } from "./locals.js"
export { templates } from "./middleware.js"
