/**
 * GET `<prefix>/<app>/<model>/lookup?q=`: the rows a foreign-key search box offers,
 * as JSON `[{ id, label }]` (at most 20), for users who may view the model. Searches
 * the model's `search` fields, else its first text field, and an exact id.
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import { Field } from "../../orm/index.js"
import type { ModelAdmin } from "../model-admin.js"
import { enter, need, parseId, permsOf, type SiteState } from "../views/common.js"
import type { AnyQuerySet } from "./query.js"

const LIMIT = 20

function searchPaths(ma: ModelAdmin): string[] {
  if (ma.search.length > 0) return [...ma.search]
  const first = Object.entries(ma.model.fields).find(
    ([, f]) => f instanceof Field && ["string", "email", "slug", "text"].includes(f.kind),
  )
  return first ? [first[0]] : []
}

/** Answers the lookup. */
export async function lookupRows(c: Context, site: SiteState, ma: ModelAdmin): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  need((await permsOf(c, ma.model)).view, ma.model, "view")
  const q = (c.req.query.get("q") ?? "").trim().slice(0, 100)
  let qs = site.db.query(ma.model) as unknown as AnyQuerySet
  if (q !== "") {
    const id = parseId(ma, q)
    const alternatives: Record<string, unknown>[] = searchPaths(ma).map((path) => {
      const [head, sub] = path.split(".", 2) as [string, string | undefined]
      return sub === undefined
        ? { [head]: { icontains: q } }
        : { [head]: { [sub]: { icontains: q } } }
    })
    if (id !== undefined) alternatives.push({ id })
    if (alternatives.length === 0) return c.json([])
    qs = qs.filter(((b: { or(...x: unknown[]): unknown }) => b.or(...alternatives)) as never)
  }
  const rows = (await qs.limit(LIMIT).all()) as Record<string, unknown>[]
  c.header("cache-control", "no-store")
  return c.json(rows.map((r) => ({ id: String(r.id), label: ma.display(r) })))
}
