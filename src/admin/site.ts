/**
 * `createAdmin()`: the registry of models and `admin.site()`, the blueprint that
 * serves the admin.
 * @module
 */

import { type LoginThrottle, loginThrottle } from "../auth/index.js"
import {
  Blueprint,
  type Context,
  type Middleware,
  type Next,
  SLOTS,
  TrussError,
  wantsHtml,
} from "../kit.js"
import type { AnyModel, Database } from "../orm/index.js"
import { csrf, secureHeaders } from "../security/index.js"
import { adminErrors } from "./errors.js"
import { listAction } from "./list/actions.js"
import { ESTIMATE_ABOVE } from "./list/count.js"
import { listPage } from "./list/list-page.js"
import { lookupRows } from "./list/lookup.js"
import { type ModelAdmin, resolveModelAdmin } from "./model-admin.js"
import type { Inline, InlineOptions, ModelAdminOptions } from "./options.js"
import { AdminRenderer, type Asset } from "./render.js"
import { loginPage, loginSubmit, logoutSubmit, passwordPage } from "./views/account.js"
import { changePage } from "./views/change.js"
import { modelAt, page, type SiteState } from "./views/common.js"
import { deletePage } from "./views/delete.js"
import { historyPage } from "./views/history.js"
import { indexPage } from "./views/index-page.js"

/**
 * Options of `admin.site()`.
 * @example
 * ```ts
 * import type { AdminSiteOptions } from "truss/admin"
 * import { connect } from "truss/orm"
 * const options: AdminSiteOptions = { db: await connect("sqlite::memory:"), prefix: "/admin", title: "Acme back office" }
 * ```
 */
export interface AdminSiteOptions<P extends string = "/admin"> {
  /** The database the models live in (and the log). */
  db: Database
  /** Where the admin is served. @default "/admin" */
  prefix?: P
  /** The title in the header and the browser tab. @default "Truss admin" */
  title?: string
  /** Folders searched before the admin's own templates, to override a page. */
  templates?: readonly string[]
  /** On PostgreSQL, an unfiltered list above this many (estimated) rows shows the estimate. @default 100000 */
  estimateAbove?: number
  /** A foreign key to a registered model with more rows than this is a search box. @default 200 */
  autocompleteAbove?: number
  /** Locks out repeated failed logins on the admin's login page; `false` turns it off. @default loginThrottle() (memory) */
  throttle?: LoginThrottle | false
}

/**
 * Related rows of `model` edited on the parent's change page, typed against `model`.
 * @example
 * ```ts
 * import { createAdmin, inline } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Order = model("order", { ref: field.string() })
 * const Line = model("orderLine", { order: field.foreignKey(() => Order), qty: field.integer() })
 * createAdmin().register(Order, { inlines: [inline(Line, { fields: ["qty"] })] })
 * ```
 */
export function inline<C extends AnyModel>(model: C, options: InlineOptions<C> = {}): Inline {
  return { model, options: options as InlineOptions<AnyModel> }
}

/**
 * The admin: register models, then serve it with `app.register(admin.site({ db }))`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { createAdmin } from "truss/admin"
 * import { auth } from "truss/auth"
 * import { connect, field, model } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const Note = model("note", { body: field.text(), done: field.boolean({ default: false }) })
 * const db = await connect("sqlite::memory:")
 * const admin = createAdmin()
 * admin.register(Note, { list: ["body", "done"], filters: ["done"] })
 * const app = new App().use(sessions({ secret: "a-32-character-secret-for-tests!!" }), auth({ db }))
 * app.register(admin.site({ db }))
 * ```
 */
export class Admin {
  readonly #models = new Map<AnyModel, ModelAdmin>()

  /**
   * Registers a model; with no options it gets a list, add, change and delete.
   * @throws TRUSS_ERR_ADMIN_ALREADY_REGISTERED, TRUSS_ERR_ADMIN_UNKNOWN_FIELD, TRUSS_ERR_ADMIN_INVALID_OPTION.
   */
  register<M extends AnyModel>(model: M, options?: ModelAdminOptions<M>): this {
    if (this.#models.has(model)) throw adminErrors.ALREADY_REGISTERED({ model: model.name })
    this.#models.set(model, resolveModelAdmin(model, options as ModelAdminOptions<AnyModel>))
    return this
  }

  /** Registers every model not yet registered (many-to-many link tables excepted). */
  autodiscover(models: Iterable<AnyModel>): this {
    for (const m of models) {
      if (!m.options.autoCreated && !this.#models.has(m)) this.register(m)
    }
    return this
  }

  /** The registered models, in order. */
  get models(): readonly AnyModel[] {
    return [...this.#models.keys()]
  }

  /**
   * The blueprint serving the admin. Needs `sessions()` and `auth()` before it; it adds
   * `csrf()` when the app has none and sends strict security headers (a CSP without
   * inline scripts or styles).
   */
  site<const P extends string = "/admin">(options: AdminSiteOptions<P>): Blueprint {
    const prefix = options.prefix ?? "/admin"
    const registry = new Map<string, ModelAdmin>()
    for (const ma of this.#models.values()) registry.set(`${ma.app}/${ma.slug}`, ma)
    const site: SiteState = {
      prefix,
      title: options.title ?? "Truss admin",
      db: options.db,
      renderer: new AdminRenderer(options.templates),
      registry,
      byModel: new Map(this.#models),
      estimateAbove: options.estimateAbove ?? ESTIMATE_ABOVE,
      autocompleteAbove: options.autocompleteAbove ?? 200,
      estimates: new Map(),
      throttle: options.throttle === false ? undefined : (options.throttle ?? loginThrottle()),
    }
    return buildBlueprint(site)
  }
}

/**
 * Creates an admin registry.
 * @example
 * ```ts
 * import { createAdmin } from "truss/admin"
 * import { authModels } from "truss/auth"
 * const admin = createAdmin().autodiscover(authModels)
 * ```
 */
export function createAdmin(): Admin {
  return new Admin()
}

function csrfIfMissing(): Middleware {
  const check = csrf()
  return function adminCsrf(c: Context, next: Next) {
    if (c[SLOTS]?.csrfToken !== undefined) return next()
    return check(c, next)
  }
}

function serve(c: Context, asset: Asset) {
  const fresh = c.req.query.get("v") === asset.hash
  c.header("cache-control", fresh ? "public, max-age=31536000, immutable" : "no-cache")
  return c.text(asset.body, 200, { "content-type": asset.type })
}

function modelUrlBase(site: SiteState, ma: ModelAdmin): string {
  return `${site.prefix}/${ma.app}/${ma.slug}`
}

function buildBlueprint(site: SiteState): Blueprint {
  const bp = new Blueprint({ prefix: site.prefix as "/admin", name: "admin" })
  bp.use(secureHeaders(), csrfIfMissing())
  // 4xx errors of admin pages render in the admin's layout (the core's page has an inline style the CSP refuses).
  bp.onError(TrussError, (err, c) => {
    if (err.status < 400 || err.status >= 500 || !wantsHtml(c)) return undefined
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value)
    return page(
      c,
      site,
      "error.liquid",
      {
        title:
          err.status === 404
            ? "Not found"
            : err.status === 403
              ? "Permission denied"
              : "Bad request",
        message: err.message,
        code: err.code,
        status: err.status,
      },
      err.status,
    )
  })
  const { renderer } = site
  bp.get("/static/admin.css", (c) => serve(c, renderer.css))
  bp.get("/static/admin.js", (c) => serve(c, renderer.js))
  bp.get("/", { name: "index" }, (c) => indexPage(c, site))
  bp.get("/login", { name: "login" }, (c) => loginPage(c, site))
  bp.post("/login", (c) => loginSubmit(c, site))
  bp.post("/logout", { name: "logout" }, (c) => logoutSubmit(c, site))
  bp.get("/password", { name: "password" }, (c) => passwordPage(c, site))
  bp.post("/password", (c) => passwordPage(c, site))
  const at = (c: Context & { params: { app: string; model: string } }) =>
    modelAt(site, c.params.app, c.params.model)
  bp.get("/:app/:model", (c) => c.redirect(`${modelUrlBase(site, at(c))}/`, 301))
  bp.get("/:app/:model/", (c) => listPage(c, site, at(c)))
  bp.post("/:app/:model/", (c) => listAction(c, site, at(c)))
  bp.get("/:app/:model/lookup", (c) => lookupRows(c, site, at(c)))
  bp.get("/:app/:model/add", (c) => changePage(c, site, at(c), undefined))
  bp.post("/:app/:model/add", (c) => changePage(c, site, at(c), undefined))
  bp.get("/:app/:model/:id/change", (c) => changePage(c, site, at(c), c.params.id))
  bp.post("/:app/:model/:id/change", (c) => changePage(c, site, at(c), c.params.id))
  bp.get("/:app/:model/:id/delete", (c) => deletePage(c, site, at(c), c.params.id))
  bp.post("/:app/:model/:id/delete", (c) => deletePage(c, site, at(c), c.params.id))
  bp.get("/:app/:model/:id/history", (c) => historyPage(c, site, at(c), c.params.id))
  return bp
}
