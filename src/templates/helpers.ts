import type { Liquid } from "liquidjs"
import type { UrlParams } from "../kit.js"
import { templateErrors } from "./errors.js"
import { contextOf } from "./locals.js"

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
}

/**
 * Escapes text for HTML element content and quoted attribute values (the same map
 * templates use: `& < > " '`).
 * @example
 * ```ts
 * import { escapeText } from "truss/templates"
 * escapeText(`<a href="x">`) // "&lt;a href=&#34;x&#34;&gt;"
 * ```
 */
export function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!)
}

/** Collects `url: id: 7, slug: s` keyword arguments (and hash objects) into params. */
function paramsOf(args: unknown[]): UrlParams {
  const params: Record<string, unknown> = {}
  for (const arg of args) {
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") {
      params[arg[0]] = arg[1]
    } else if (arg !== null && typeof arg === "object") Object.assign(params, arg)
  }
  return params as UrlParams
}

/** Joins the static prefix and a path, keeping absolute URLs as they are. */
export function staticUrl(prefix: string, path: string): string {
  if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(path)) return path
  const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix
  return `${base}/${encodeURI(path.replace(/^\/+/, ""))}`
}

/**
 * Registers the helpers every template has: the `url` and `static` filters, the
 * `safe` filter (an alias of `raw`) and the `{% csrf %}` tag.
 */
export function registerHelpers(
  liquid: Liquid,
  options: { staticPrefix: string; csrfField: string },
): void {
  liquid.registerFilter("url", function url(name: unknown, ...args: unknown[]) {
    const c = contextOf(this.context.globals, "url")
    return c.url(String(name), paramsOf(args))
  })
  liquid.registerFilter("static", (path: unknown) => staticUrl(options.staticPrefix, String(path)))
  liquid.registerFilter("safe", { raw: true, handler: (value: unknown) => value })
  const field = escapeText(options.csrfField)
  liquid.registerTag("csrf", {
    render(ctx, emitter) {
      contextOf(ctx.globals, "csrf")
      const token = (ctx.globals as { csrfToken?: unknown }).csrfToken
      if (typeof token !== "string") throw templateErrors.TEMPLATE_CSRF_UNAVAILABLE()
      emitter.write(`<input type="hidden" name="${field}" value="${escapeText(token)}">`)
    },
  })
}
