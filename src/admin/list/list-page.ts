/**
 * GET the list page: one COUNT and one SELECT joining the foreign-key columns (no
 * N+1), then the template.
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import type { ModelAdmin } from "../model-admin.js"
import { capitalize } from "../naming.js"
import {
  displayFor,
  enter,
  modelUrls,
  need,
  page,
  permsOf,
  type SiteState,
} from "../views/common.js"
import { countRows } from "./count.js"
import { type AnyQuerySet, isNarrowed, matching, orderingOf, searchTerms } from "./query.js"
import { filtersOf, headersOf, pagesOf, rowsOf, summaryOf, withQuery } from "./view-model.js"

/** The actions the user may run on this list. */
export function actionsOf(ma: ModelAdmin, perms: Awaited<ReturnType<typeof permsOf>>) {
  const out: { name: string; label: string }[] = []
  if (perms.delete)
    out.push({ name: "delete_selected", label: `Delete selected ${ma.labelPlural}` })
  for (const a of ma.actions) if (perms[a.permission ?? "change"]) out.push(a)
  return out
}

/** GET `<prefix>/<app>/<model>/`. */
export async function listPage(c: Context, site: SiteState, ma: ModelAdmin): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const perms = await permsOf(c, ma.model)
  need(perms.view, ma.model, "view")
  const query = c.req.query
  const urls = modelUrls(site, ma)
  const narrowed = isNarrowed(ma, query)
  const qs = matching(site.db, ma, query)
  const count = await countRows(
    site.db,
    qs,
    ma.model.meta.table,
    narrowed,
    site.estimates,
    site.estimateAbove,
  )
  const pages = Math.max(1, Math.ceil(count.total / ma.perPage))
  const asked = Number(query.get("p") ?? "1")
  const current = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1
  const ordering = orderingOf(ma, query)
  // A unique last key keeps pages stable when the ordering has ties.
  const keys = ordering.some((k) => k === "id" || k === "-id") ? ordering : [...ordering, "-id"]
  let rowsQs = qs.orderBy(...(keys as never[])) as AnyQuerySet
  if (ma.joins.length > 0) rowsQs = rowsQs.selectRelated(...(ma.joins as never[])) as AnyQuerySet
  const rows = (await rowsQs
    .offset((current - 1) * ma.perPage)
    .limit(ma.perPage)
    .all()) as Record<string, unknown>[]
  const display = displayFor(site)
  const first = rows.length === 0 ? 0 : (current - 1) * ma.perPage + 1
  return page(c, site, "list.liquid", {
    title: capitalize(ma.labelPlural),
    current: ma,
    crumbs: [{ label: "Home", url: `${site.prefix}/` }, { label: capitalize(ma.labelPlural) }],
    model: {
      label: ma.label,
      plural: ma.labelPlural,
      addUrl: perms.add && ma.editable ? urls.add : undefined,
    },
    summary: ma.summary
      ? summaryOf(await ma.summary({ db: site.db, c, query }), urls.list, query)
      : undefined,
    headers: headersOf(ma, urls.list, query, ordering),
    rows: rowsOf(ma, rows, urls.change, display),
    filters: await filtersOf(site.db, ma, urls.list, query, display),
    search:
      ma.search.length > 0
        ? { q: query.get("q") ?? "", terms: searchTerms(query.get("q") ?? "").length }
        : undefined,
    hidden: [...query.entries()]
      .filter(([k]) => k !== "q" && k !== "p")
      .map(([name, value]) => ({ name, value })),
    clearAll: narrowed ? urls.list : undefined,
    count: { ...count, first, last: first === 0 ? 0 : first + rows.length - 1, shown: rows.length },
    pagination: pages > 1 ? pagesOf(urls.list, query, current, pages) : undefined,
    actions: actionsOf(ma, perms),
    actionUrl: withQuery(urls.list, query, {}),
    listUrl: urls.list,
  })
}
