/**
 * POST to the list page: a bulk action on the ticked rows, or on every row matching
 * the page's search and filters ("select all" across pages).
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import { adminErrors } from "../errors.js"
import type { ModelAdmin } from "../model-admin.js"
import { enter, modelUrls, need, parseId, permsOf, type SiteState } from "../views/common.js"
import { bulkDeleteConfirm, deleteRows } from "../views/delete.js"
import { type AnyQuerySet, matching } from "./query.js"
import { withQuery } from "./view-model.js"

/** POST `<prefix>/<app>/<model>/`. */
export async function listAction(c: Context, site: SiteState, ma: ModelAdmin): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const perms = await permsOf(c, ma.model)
  need(perms.view, ma.model, "view")
  const form = await c.req.form()
  const name = String(form.get("action") ?? "")
  const query = c.req.query
  const back = withQuery(modelUrls(site, ma).list, query, {})
  const custom = ma.actions.find((a) => a.name === name)
  if (name !== "delete_selected" && custom === undefined) {
    if (name === "") {
      c.flash("warning", "Choose an action first.")
      return c.redirect(back, 303)
    }
    throw adminErrors.UNKNOWN_ACTION({ action: name.slice(0, 50) })
  }
  need(
    name === "delete_selected" ? perms.delete : perms[custom?.permission ?? "change"],
    ma.model,
    name === "delete_selected" ? "delete" : (custom?.permission ?? "change"),
  )
  const across = form.get("select_across") === "1"
  let qs: AnyQuerySet
  if (across) {
    qs = matching(site.db, ma, query)
  } else {
    const ids = form
      .getAll("_selected")
      .map((v) => parseId(ma, String(v)))
      .filter((v) => v !== undefined)
    qs = site.db.query(ma.model).filter({ id: { in: ids } } as never) as unknown as AnyQuerySet
  }
  const rows = (await qs.orderBy("id" as never).all()) as Record<string, unknown>[]
  if (rows.length === 0) {
    c.flash("warning", "Select the rows to act on first. No rows were changed.")
    return c.redirect(back, 303)
  }
  if (name === "delete_selected") {
    if (form.get("confirm") !== "yes") return bulkDeleteConfirm(c, site, ma, rows, back)
    const n = await deleteRows(c, site, ma, rows)
    c.flash("success", `Deleted ${n} ${n === 1 ? ma.label : ma.labelPlural}.`)
    return c.redirect(back, 303)
  }
  const message = await custom?.run({ db: site.db, ids: rows.map((r) => r.id) as never[], c })
  if (typeof message === "string" && message !== "") c.flash("success", message)
  return c.redirect(back, 303)
}
