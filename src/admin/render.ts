/**
 * The admin's own template engine (its templates in `src/admin/templates/`, before
 * them any folders the app passes to override a page) and its stylesheet and script,
 * served with a content hash so browsers keep them.
 * @module
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Context, Reply } from "../kit.js"
import { TemplateEngine } from "../templates/index.js"
import { ADMIN_SCRIPT } from "./static/script.js"

const TEMPLATES = fileURLToPath(new URL("./templates", import.meta.url))
const CSS = fileURLToPath(new URL("./static/admin.css", import.meta.url))

/** A static asset: its body, type and content hash. */
export interface Asset {
  readonly body: string
  readonly type: string
  readonly hash: string
}

function asset(body: string, type: string): Asset {
  return { body, type, hash: createHash("sha256").update(body).digest("hex").slice(0, 12) }
}

/** Renders admin pages. */
export class AdminRenderer {
  readonly #engine: TemplateEngine
  readonly css: Asset
  readonly js: Asset

  constructor(overrides: readonly string[] = []) {
    this.#engine = new TemplateEngine({ dir: [...overrides, TEMPLATES], debug: false })
    this.css = asset(readFileSync(CSS, "utf8"), "text/css; charset=utf-8")
    this.js = asset(ADMIN_SCRIPT, "text/javascript; charset=utf-8")
  }

  /** Renders `name` with `data` as the response, with `status`. */
  async page(
    c: Context,
    name: string,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<Reply<string>> {
    const html = await this.#engine.render(name, data, c)
    c.header("cache-control", "no-store")
    return c.html(html, status)
  }
}
