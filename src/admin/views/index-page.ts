/**
 * The index: the apps and models the user may see, and the user's recent actions.
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import { LogEntry } from "../log.js"
import { enter, modelUrls, navOf, page, type SiteState } from "./common.js"

/** GET `<prefix>/`. */
export async function indexPage(c: Context, site: SiteState): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const apps = await navOf(c, site)
  const entries = await site.db
    .query(LogEntry)
    .filter({ userId: Number(c.user?.id) })
    .orderBy("-actionTime", "-id")
    .limit(10)
    .all()
  const recent = entries.map((e) => {
    const ma = site.registry.get(`${e.app}/${e.modelName}`)
    const url = ma && e.action !== "delete" ? modelUrls(site, ma).change(e.objectId) : undefined
    return {
      action: e.action,
      repr: e.objectRepr,
      model: ma?.label ?? e.modelName,
      url,
      at: e.actionTime.toISOString(),
      when: e.actionTime.toISOString().replace("T", " ").slice(0, 16),
    }
  })
  return page(c, site, "index.liquid", { title: "Site administration", apps, recent })
}
