/**
 * An object's history: every logged add, change and delete, newest first, with the
 * field diff.
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import { LogEntry } from "../log.js"
import type { ModelAdmin } from "../model-admin.js"
import { capitalize } from "../naming.js"
import { enter, modelUrls, need, page, permsOf, rowAt, type SiteState } from "./common.js"

/** GET `<prefix>/<app>/<model>/:id/history`. */
export async function historyPage(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  rawId: string,
): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const perms = await permsOf(c, ma.model)
  need(perms.view, ma.model, "view")
  const row = await rowAt(site, ma, rawId)
  const entries = await site.db
    .query(LogEntry)
    .filter({ app: ma.app, modelName: ma.slug, objectId: String(row.id) })
    .orderBy("-actionTime", "-id")
    .limit(500)
    .all()
  const urls = modelUrls(site, ma)
  const name = ma.display(row)
  return page(c, site, "history.liquid", {
    title: `History: ${name}`,
    current: ma,
    crumbs: [
      { label: "Home", url: `${site.prefix}/` },
      { label: capitalize(ma.labelPlural), url: urls.list },
      { label: name, url: urls.change(row.id) },
      { label: "History" },
    ],
    entries: entries.map((e) => ({
      at: e.actionTime.toISOString(),
      when: `${e.actionTime.toISOString().replace("T", " ").slice(0, 19)} UTC`,
      user: e.userEmail || "—",
      action: e.action,
      changes: e.changes,
    })),
  })
}
