import { statSync } from "node:fs"
import { resolve } from "node:path"
import { Liquid } from "liquidjs"
import type { Context } from "../kit.js"
import { errors } from "../kit.js"
import { compileTemplates, renderCompiled, type Step } from "./compile.js"
import { DevCache } from "./dev-cache.js"
import { registerHelpers } from "./helpers.js"
import type { FilterDefinition, TagDefinition } from "./liquid-types.js"
import { requestLocals } from "./locals.js"
import { wrapTemplateError } from "./wrap-error.js"

/**
 * Options for {@link templates} and {@link TemplateEngine}.
 * @example
 * ```ts
 * import type { TemplatesOptions } from "truss/templates"
 * const options: TemplatesOptions = { dir: "./templates", staticPrefix: "/assets", globals: { site: "Acme" } }
 * ```
 */
export interface TemplatesOptions {
  /** The folder (or folders, searched in order) holding templates, layouts and partials. */
  dir: string | string[]
  /** Debug mode: strict variables and reload on change. @default the app's `debug` */
  debug?: boolean
  /** Cache parsed templates for the life of the process. @default !debug */
  cache?: boolean
  /** Throw on undefined variables (`{% if %}` and `| default` stay lenient). @default debug */
  strictVariables?: boolean
  /** Extra filters by name: `(value, ...args) => result`, or `{ handler, raw: true }` for HTML. */
  filters?: Record<string, FilterDefinition>
  /** Extra tags by name: LiquidJS tag classes or `{ parse, render }` options. */
  tags?: Record<string, TagDefinition>
  /** Values every template sees (site name, feature flags …). */
  globals?: Record<string, unknown>
  /** The URL prefix the `static` filter puts before a path. @default "/static" */
  staticPrefix?: string
  /** The form field name `{% csrf %}` writes; match your CSRF middleware. @default "_csrf" */
  csrfField?: string
}

/** Resolves the template folders; each must exist. @internal */
export function checkDirs(dir: string | string[]): string[] {
  const dirs = (Array.isArray(dir) ? dir : [dir]).map((d) => resolve(d))
  for (const d of dirs) {
    if (!statSync(d, { throwIfNoEntry: false })?.isDirectory()) {
      throw errors.INVALID_OPTION({
        option: "templates({ dir })",
        reason: `${d} is not a directory; create it or point dir at your templates folder`,
      })
    }
  }
  return dirs
}

const MAX_WARM = 1000

/** Whether a value passed to a template is a promise, which only async rendering awaits. */
function hasThenable(data: Record<string, unknown>): boolean {
  for (const key in data) {
    const v = data[key] as { then?: unknown } | null | undefined
    if (typeof v?.then === "function") return true
  }
  return false
}

/**
 * A LiquidJS environment set up the Truss way: every `{{ output }}` HTML-escaped,
 * `raw`/`safe` for trusted HTML, `url`/`static` filters, `{% csrf %}`, coded errors
 * that name the file and line. `templates()` uses one; use it directly to render
 * outside a request (mail bodies, static pages).
 *
 * @throws TRUSS_ERR_INVALID_OPTION when a `dir` is not a directory.
 * @example
 * ```ts
 * import { TemplateEngine } from "truss/templates"
 * const engine = new TemplateEngine({ dir: "./templates", debug: false })
 * const html = await engine.render("mail/welcome.html", { name: "Ada" })
 * ```
 */
export class TemplateEngine {
  /** Whether the engine runs in debug mode. */
  readonly debug: boolean
  readonly #liquid: Liquid
  readonly #dirs: string[]
  readonly #globals: Record<string, unknown>
  /**
   * Templates rendered once, which later render synchronously: LiquidJS's async mode
   * turns every step into a promise (about 40% of a small page's render time).
   * Only with the cache on and no custom filters or tags, which may be async.
   */
  readonly #warm: Set<string> | undefined
  /** A second environment for those sync renders (LiquidJS caches promises in async mode). */
  readonly #syncLiquid: Liquid | undefined
  /** Warm templates compiled to closures (`compile.ts`); not with strict variables. */
  readonly #compiled: Map<string, Step> | undefined

  constructor(options: TemplatesOptions & { debug: boolean }) {
    this.debug = options.debug
    this.#dirs = checkDirs(options.dir)
    this.#globals = { ...options.globals }
    const cache = options.cache ?? !options.debug
    const custom = Object.keys({ ...options.filters, ...options.tags }).length > 0
    const settings = {
      root: this.#dirs,
      outputEscape: "escape",
      strictFilters: true,
      strictVariables: options.strictVariables ?? options.debug,
      lenientIf: true,
      ownPropertyOnly: true,
    } as const
    const helpers = {
      staticPrefix: options.staticPrefix ?? "/static",
      csrfField: options.csrfField ?? "_csrf",
    }
    this.#liquid = new Liquid({ ...settings, cache: cache ? true : new DevCache(this.#dirs) })
    registerHelpers(this.#liquid, helpers)
    this.#warm = cache && !custom ? new Set() : undefined
    this.#compiled = this.#warm && !settings.strictVariables ? new Map() : undefined
    if (this.#warm) {
      this.#syncLiquid = new Liquid({ ...settings, cache: true })
      registerHelpers(this.#syncLiquid, helpers)
    }
    for (const [name, filter] of Object.entries(options.filters ?? {})) {
      this.#liquid.registerFilter(name, filter)
    }
    for (const [name, tag] of Object.entries(options.tags ?? {}))
      this.#liquid.registerTag(name, tag)
  }

  /**
   * Renders a template file to a string.
   * @param name - Path relative to a template folder, e.g. `"notes/list.html"`.
   * @param data - Variables for the template.
   * @param c - The request context; gives `url`, `request`, `user`, `csrfToken`, `flashes`.
   * @throws TRUSS_ERR_TEMPLATE_NOT_FOUND, TRUSS_ERR_TEMPLATE_SYNTAX,
   * TRUSS_ERR_TEMPLATE_UNDEFINED, TRUSS_ERR_TEMPLATE_RENDER (all 500).
   */
  async render(name: string, data: Record<string, unknown> = {}, c?: Context): Promise<string> {
    try {
      const globals = requestLocals(c, this.#globals)
      const warm = this.#warm
      const sync = this.#syncLiquid
      if (sync && warm?.has(name) && !hasThenable(data) && !hasThenable(this.#globals)) {
        const compiled = this.#compiled?.get(name)
        if (compiled) return renderCompiled(compiled, sync, data, globals)
        return String(sync.renderFileSync(name, data, { globals }))
      }
      const html = String(await this.#liquid.renderFile(name, data, { globals }))
      if (warm && warm.size < MAX_WARM && sync) {
        // Parsed now, so the sync environment keeps the same version as the async one.
        const parsed = sync.parseFileSync(name)
        this.#compiled?.set(name, compileTemplates(parsed))
        warm.add(name)
      }
      return html
    } catch (err) {
      throw wrapTemplateError(err, name, this.#dirs[0]!)
    }
  }

  /** Renders a template string (not a file) with the same filters, tags and escaping. */
  async renderString(
    source: string,
    data: Record<string, unknown> = {},
    c?: Context,
  ): Promise<string> {
    try {
      const globals = requestLocals(c, this.#globals)
      return String(await this.#liquid.parseAndRender(source, data, { globals }))
    } catch (err) {
      throw wrapTemplateError(err, "<string>", this.#dirs[0]!)
    }
  }
}
