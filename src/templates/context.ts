/**
 * What `truss/templates` adds to the context: `c.render()`, declared here and installed
 * when the battery is imported.
 * @module
 */
import { type Context, extendContext, type Reply, SLOTS, slotsOf } from "../kit.js"
import { templateErrors } from "./errors.js"

/**
 * Renders a named template with data; `templates()` installs one per request.
 * @example
 * ```ts
 * import type { Renderer } from "truss/templates"
 * const upper: Renderer = { render: async (name, data) => `${name}: ${JSON.stringify(data)}`.toUpperCase() }
 * ```
 */
export interface Renderer {
  /** `c` is the request being answered (for `url()`, `csrfToken`, flashes…). */
  render(name: string, data: Record<string, unknown>, c: Context): Promise<string>
}

declare module "../kit.js" {
  interface Slots {
    /** The renderer `templates()` installed for this request. */
    renderer?: Renderer
  }
  interface Context {
    /** Renders a template to HTML; needs `app.use(templates({ dir }))` from `truss/templates`. */
    render(name: string, data?: Record<string, unknown>, status?: number): Promise<Reply<string>>
  }
}

/** Makes `renderer` render for `c`. @internal */
export function setRenderer(c: Context, renderer: Renderer): void {
  slotsOf(c).renderer = renderer
}

extendContext("truss/templates", "render", {
  async value(this: Context, name: string, data: Record<string, unknown> = {}, status?: number) {
    const renderer = this[SLOTS]?.renderer
    if (renderer === undefined) throw templateErrors.TEMPLATES_REQUIRED()
    return this.html(await renderer.render(name, data, this), status)
  },
})
