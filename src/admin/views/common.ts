/**
 * What every admin page shares: the site's state, per-model permissions, URLs, the
 * navigation and the base data of a page.
 * @module
 */

import { type LoginThrottle, permissionCodename } from "../../auth/index.js"
import { type Context, type Reply, SLOTS } from "../../kit.js"
import type { AnyModel, Database } from "../../orm/index.js"
import { adminErrors } from "../errors.js"
import type { EstimateCache } from "../list/count.js"
import { defaultDisplay, type ModelAdmin } from "../model-admin.js"
import { capitalize, humanize } from "../naming.js"
import type { AdminRenderer } from "../render.js"

/** The resolved site, shared by its views. */
export interface SiteState {
  readonly prefix: string
  readonly title: string
  readonly db: Database
  readonly renderer: AdminRenderer
  /** Registered models by `app/slug`. */
  readonly registry: ReadonlyMap<string, ModelAdmin>
  readonly byModel: ReadonlyMap<AnyModel, ModelAdmin>
  readonly estimateAbove: number
  readonly autocompleteAbove: number
  /** PostgreSQL row estimates by table, refreshed once a minute. */
  readonly estimates: EstimateCache
  /** Failed admin logins per account and IP, or undefined when the app throttles itself. */
  readonly throttle: LoginThrottle | undefined
}

/** What the user may do with one model. */
export interface Perms {
  readonly view: boolean
  readonly add: boolean
  readonly change: boolean
  readonly delete: boolean
}

/** The user's permissions on a model; change implies view, as in Django. */
export async function permsOf(c: Context, m: AnyModel): Promise<Perms> {
  const [view, add, change, del] = await Promise.all(
    (["view", "add", "change", "delete"] as const).map((a) => c.can(permissionCodename(m, a))),
  )
  return { view: !!view || !!change, add: !!add, change: !!change, delete: !!del }
}

/** Throws 403 unless `ok`. */
export function need(ok: boolean, m: AnyModel, action: string): void {
  if (!ok) throw adminErrors.PERMISSION_DENIED({ need: permissionCodename(m, action) })
}

/** The URLs of a registered model's pages. */
export function modelUrls(site: SiteState, ma: ModelAdmin) {
  const base = `${site.prefix}/${ma.app}/${ma.slug}`
  return {
    list: `${base}/`,
    add: `${base}/add`,
    change: (id: unknown) => `${base}/${encodeURIComponent(String(id))}/change`,
    delete: (id: unknown) => `${base}/${encodeURIComponent(String(id))}/delete`,
    history: (id: unknown) => `${base}/${encodeURIComponent(String(id))}/history`,
  }
}

/** An app's models the user may see, for the index and the sidebar. */
export interface NavApp {
  readonly app: string
  readonly label: string
  readonly models: {
    readonly label: string
    readonly url: string
    readonly addUrl: string | undefined
    readonly changeable: boolean
    readonly active: boolean
  }[]
}

/** The apps and models the user may see, grouped by app in registration order. */
export async function navOf(c: Context, site: SiteState, current?: ModelAdmin): Promise<NavApp[]> {
  const apps = new Map<string, NavApp>()
  for (const ma of site.registry.values()) {
    const p = await permsOf(c, ma.model)
    if (!p.view && !p.add) continue
    let group = apps.get(ma.app)
    if (group === undefined) {
      group = { app: ma.app, label: capitalize(humanize(ma.app)), models: [] }
      apps.set(ma.app, group)
    }
    const urls = modelUrls(site, ma)
    group.models.push({
      label: capitalize(ma.labelPlural),
      url: urls.list,
      addUrl: p.add && ma.editable ? urls.add : undefined,
      changeable: p.change && ma.editable,
      active: ma === current,
    })
  }
  return [...apps.values()].sort((a, b) => a.label.localeCompare(b.label))
}

/** A breadcrumb. */
export interface Crumb {
  readonly label: string
  readonly url?: string
}

/** Renders an admin page with the base data every layout reads. */
export async function page(
  c: Context,
  site: SiteState,
  name: string,
  data: Record<string, unknown> & { title: string; crumbs?: Crumb[]; current?: ModelAdmin },
  status = 200,
): Promise<Reply<string>> {
  const staff = c.user?.isStaff === true
  const nav = staff ? await navOf(c, site, data.current) : []
  return site.renderer.page(
    c,
    name,
    {
      ...data,
      site: {
        title: site.title,
        prefix: site.prefix,
        home: `${site.prefix}/`,
        css: `${site.prefix}/static/admin.css?v=${site.renderer.css.hash}`,
        js: `${site.prefix}/static/admin.js?v=${site.renderer.js.hash}`,
        logout: `${site.prefix}/logout`,
        password: `${site.prefix}/password`,
      },
      nav,
      crumbs: data.crumbs ?? [],
      account: staff ? { email: c.user?.email } : undefined,
    },
    status,
  )
}

/**
 * Lets only active staff through: anonymous browsers go to the admin's login page,
 * other users get the login page with a 403.
 * @throws TRUSS_ERR_ADMIN_AUTH_REQUIRED when `auth()` did not run.
 */
export async function enter(c: Context, site: SiteState): Promise<Reply | undefined> {
  if (c[SLOTS]?.auth === undefined) throw adminErrors.AUTH_REQUIRED()
  const user = c.user
  if (user === undefined) {
    const url = new URL(c.req.url)
    const next = encodeURIComponent(url.pathname + url.search)
    return c.redirect(`${site.prefix}/login?next=${next}`, 303)
  }
  if (!user.isActive || !user.isStaff) {
    return page(
      c,
      site,
      "login.liquid",
      {
        title: "Log in",
        email: user.email,
        next: "",
        error: `You are logged in as ${user.email}, but this account may not use the admin. Log in with a staff account.`,
      },
      403,
    )
  }
  return undefined
}

/** Names the rows of any model: its admin's `display`, else the default. */
export function displayFor(
  site: SiteState,
): (m: AnyModel) => (row: Record<string, unknown>) => string {
  return (m) => site.byModel.get(m)?.display ?? defaultDisplay(m)
}

/** The registered model at `app/slug`, or a 404. */
export function modelAt(site: SiteState, app: string, slug: string): ModelAdmin {
  const ma = site.registry.get(`${app}/${slug}`)
  if (ma === undefined) throw adminErrors.NOT_FOUND({ model: "model", id: `${app}/${slug}` })
  return ma
}

/** Parses a primary key from the URL, or undefined when it cannot be one. */
export function parseId(ma: ModelAdmin, raw: string): string | number | undefined {
  if (ma.model.options.primaryKey === "uuid") {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)
      ? raw.toLowerCase()
      : undefined
  }
  return /^[1-9]\d{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined
}

/** The row `raw` names, or a 404 (also for a malformed id). */
export async function rowAt(
  site: SiteState,
  ma: ModelAdmin,
  raw: string,
): Promise<Record<string, unknown>> {
  const id = parseId(ma, raw)
  const row =
    id === undefined
      ? undefined
      : ((await site.db
          .query(ma.model)
          .filter({ id } as never)
          .first()) as Record<string, unknown> | undefined)
  if (row === undefined) throw adminErrors.NOT_FOUND({ model: ma.label, id: raw.slice(0, 50) })
  return row
}

/** The widgets' context for this request: namers, lookup URLs of viewable models. */
export async function widgetContext(c: Context, site: SiteState) {
  const viewable = new Set<AnyModel>()
  for (const ma of site.registry.values())
    if ((await permsOf(c, ma.model)).view) viewable.add(ma.model)
  return {
    name: displayFor(site),
    lookup: (m: AnyModel) => {
      const ma = site.byModel.get(m)
      return ma && viewable.has(m) ? `${modelUrls(site, ma).list}lookup` : undefined
    },
    autocompleteAbove: site.autocompleteAbove,
  }
}
