/**
 * Deleting: the object's delete page and the bulk "Delete selected" confirmation, both
 * listing what cascades and what blocks the delete, then the delete itself (hooks per
 * row, one log entry each, in one transaction).
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import type { Executor } from "../../orm/index.js"
import { collectDeletion } from "../collect.js"
import { logAction } from "../log.js"
import type { ModelAdmin } from "../model-admin.js"
import { capitalize } from "../naming.js"
import {
  displayFor,
  enter,
  modelUrls,
  need,
  page,
  permsOf,
  rowAt,
  type SiteState,
} from "./common.js"

/** Deletes `rows` with the admin's hooks and logs each; returns how many. */
export async function deleteRows(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  rows: Record<string, unknown>[],
): Promise<number> {
  await site.db.transaction(async (tx: Executor) => {
    for (const row of rows) {
      await ma.hooks.beforeDelete?.(row as never, { c })
      await tx.query(ma.model).deleteRow(row as never)
      await logAction(tx, c, {
        app: ma.app,
        modelName: ma.slug,
        objectId: row.id,
        objectRepr: ma.display(row),
        action: "delete",
      })
    }
  })
  for (const row of rows) await ma.hooks.afterDelete?.(row as never, { c })
  return rows.length
}

/** The confirmation page's data for deleting `rows`. */
async function confirmData(site: SiteState, ma: ModelAdmin, rows: Record<string, unknown>[]) {
  const ids = rows.map((r) => r.id)
  const collected = await collectDeletion(site.db, ma.model, ids, displayFor(site))
  const urls = modelUrls(site, ma)
  return {
    objects: rows.slice(0, 100).map((r) => ({ name: ma.display(r), url: urls.change(r.id) })),
    more: Math.max(0, rows.length - 100),
    total: rows.length,
    cascades: collected.cascades,
    nulled: collected.nulled,
    protectedBy: collected.protectedBy,
    blocked: collected.protectedBy.length > 0,
  }
}

/** GET and POST `<prefix>/<app>/<model>/:id/delete`. */
export async function deletePage(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  rawId: string,
): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const perms = await permsOf(c, ma.model)
  need(perms.delete, ma.model, "delete")
  const row = await rowAt(site, ma, rawId)
  const urls = modelUrls(site, ma)
  const data = await confirmData(site, ma, [row])
  if (c.req.method === "POST" && !data.blocked) {
    await deleteRows(c, site, ma, [row])
    c.flash("success", `The ${ma.label} “${ma.display(row)}” was deleted.`)
    return c.redirect(urls.list, 303)
  }
  return page(
    c,
    site,
    "delete.liquid",
    {
      title: data.blocked ? `Cannot delete ${ma.label}` : "Are you sure?",
      current: ma,
      crumbs: [
        { label: "Home", url: `${site.prefix}/` },
        { label: capitalize(ma.labelPlural), url: urls.list },
        { label: ma.display(row), url: urls.change(row.id) },
        { label: "Delete" },
      ],
      ...data,
      label: ma.label,
      plural: ma.labelPlural,
      action: urls.delete(row.id),
      cancel: urls.change(row.id),
      bulk: undefined,
    },
    data.blocked ? 409 : 200,
  )
}

/** The bulk confirmation page for `rows` (ids re-posted with `confirm=yes`). */
export async function bulkDeleteConfirm(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  rows: Record<string, unknown>[],
  actionUrl: string,
): Promise<Reply> {
  const urls = modelUrls(site, ma)
  const data = await confirmData(site, ma, rows)
  return page(
    c,
    site,
    "delete.liquid",
    {
      title: data.blocked ? `Cannot delete ${ma.labelPlural}` : "Are you sure?",
      current: ma,
      crumbs: [
        { label: "Home", url: `${site.prefix}/` },
        { label: capitalize(ma.labelPlural), url: urls.list },
        { label: "Delete selected" },
      ],
      ...data,
      label: ma.label,
      plural: ma.labelPlural,
      action: actionUrl,
      cancel: actionUrl,
      bulk: { ids: rows.map((r) => String(r.id)) },
    },
    data.blocked ? 409 : 200,
  )
}
