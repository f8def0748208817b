import type { Middleware } from "../compose.js"
import type { Context } from "../context.js"
import type { Renderer } from "../slots.js"
import { checkDirs, TemplateEngine, type TemplatesOptions } from "./engine.js"

class RequestRenderer implements Renderer {
  readonly #engine: TemplateEngine
  readonly #c: Context

  constructor(engine: TemplateEngine, c: Context) {
    this.#engine = engine
    this.#c = c
  }

  render(name: string, data: Record<string, unknown>): Promise<string> {
    return this.#engine.render(name, data, this.#c)
  }
}

/**
 * Turns on `c.render(name, data, status?)`: LiquidJS templates with every output
 * HTML-escaped. Templates see `request`, `user`, `csrfToken`, `flashes`, the `url`
 * and `static` filters and the `{% csrf %}` tag. Cached in production; in debug,
 * edited templates are reloaded and undefined variables throw.
 *
 * @param options - `dir` (required), `cache`, `debug`, `filters`, `tags`, `globals`, `staticPrefix`, `csrfField`.
 * @throws TRUSS_ERR_INVALID_OPTION when `dir` is not a directory.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { templates } from "truss/templates"
 * const app = new App()
 * app.use(templates({ dir: "./templates", globals: { site: "Notes" } }))
 * app.get("/", { name: "home" }, (c) => c.render("home.html", { notes: [] }))
 * ```
 */
export function templates(options: TemplatesOptions | TemplateEngine): Middleware {
  let engine = options instanceof TemplateEngine ? options : undefined
  if (!(options instanceof TemplateEngine)) {
    // Checked now, so a wrong dir fails at startup rather than on the first page.
    checkDirs(options.dir)
    if (options.debug !== undefined)
      engine = new TemplateEngine({ ...options, debug: options.debug })
  }
  return async function templates(c, next) {
    // The app's debug flag is only known per request when the option is left out.
    engine ??= new TemplateEngine({ ...(options as TemplatesOptions), debug: c.app.debug })
    c.slots ??= {}
    c.slots.renderer = new RequestRenderer(engine, c as Context)
    await next()
  }
}
