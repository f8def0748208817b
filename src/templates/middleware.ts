import { APP, type Middleware } from "../kit.js"
import { setRenderer } from "./context.js"
import { checkDirs, TemplateEngine, type TemplatesOptions } from "./engine.js"

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
  return function templates(c, next) {
    // The app's debug flag is only known per request when the option is left out.
    engine ??= new TemplateEngine({ ...(options as TemplatesOptions), debug: c[APP].debug })
    // The engine itself renders for any request (c.render passes the context): nothing
    // to allocate per request, and no async frame.
    setRenderer(c, engine)
    return next()
  }
}
