/**
 * The list page's query: search (`icontains` on every search field, each word
 * matching some field), sidebar filters, ordering and the page slice.
 * @module
 */
import type { AnyModel, Database, QuerySet } from "../../orm/index.js"
import type { FilterField, ModelAdmin } from "../model-admin.js"

/** A loosely typed query set of a registered model. */
export type AnyQuerySet = QuerySet<AnyModel, Record<string, unknown>>

/** Query-string keys the list uses itself; a filter never reads them. */
export const RESERVED = new Set(["q", "o", "p", "all", "_changelist"])

/** Words of a search, quoted phrases kept whole: `ann "big data"` → `ann`, `big data`. */
export function searchTerms(q: string): string[] {
  const out: string[] = []
  for (const m of q.matchAll(/"([^"]+)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? "").trim()
    if (term !== "") out.push(term)
  }
  return out.slice(0, 10)
}

function searchFilter(path: string, term: string): Record<string, unknown> {
  const [head, sub] = path.split(".", 2) as [string, string | undefined]
  const lookup = { icontains: term }
  return sub === undefined ? { [head]: lookup } : { [head]: { [sub]: lookup } }
}

/** Parses a filter value from the query string into a condition, or undefined if invalid. */
function filterCondition(
  f: FilterField,
  query: URLSearchParams,
): Record<string, unknown> | undefined {
  if (f.kind === "date" || f.kind === "datetime") {
    const from = query.get(`${f.key}_from`) ?? ""
    const to = query.get(`${f.key}_to`) ?? ""
    const range: Record<string, unknown> = {}
    const day = /^\d{4}-\d{2}-\d{2}$/
    if (day.test(from)) range.gte = f.kind === "date" ? from : new Date(`${from}T00:00:00Z`)
    if (day.test(to)) {
      if (f.kind === "date") range.lte = to
      else range.lt = new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000)
    }
    return Object.keys(range).length === 0 ? undefined : { [f.key]: range }
  }
  const raw = query.get(f.key)
  if (raw === null || raw === "") return undefined
  if (raw === "__null" && f.nullable) return { [f.key]: { isNull: true } }
  if (f.kind === "boolean") {
    if (raw !== "1" && raw !== "0") return undefined
    return { [f.key]: raw === "1" }
  }
  if (f.relation === "fk") {
    const id = f.kind === "id" || f.kind === "integer" ? Number(raw) : raw
    if (typeof id === "number" && !Number.isSafeInteger(id)) return undefined
    return { [f.key]: id }
  }
  if (f.choices) {
    const hit = f.choices.find((c) => String(c) === raw)
    return hit === undefined ? undefined : { [f.key]: hit }
  }
  if (f.distinct) return raw.length <= (f.maxLength ?? 1000) ? { [f.key]: raw } : undefined
  return undefined
}

/** The filters active in `query`, by field key. */
export function activeFilters(ma: ModelAdmin, query: URLSearchParams): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const f of ma.filters) {
    const cond = filterCondition(f, query)
    if (cond !== undefined) out.push(cond)
  }
  return out
}

/** The ordering keys asked for by `?o=` (only sortable columns), else the default. */
export function orderingOf(ma: ModelAdmin, query: URLSearchParams): string[] {
  const asked = (query.get("o") ?? "").split(",").filter((k) => k !== "")
  const sortable = new Set(ma.columns.map((c) => c.sortKey).filter((k) => k !== undefined))
  const keys = asked.filter((k) => sortable.has(k.replace(/^-/, "")))
  return keys.length > 0 ? keys : [...ma.ordering]
}

/** The model's rows matching the page's search and filters (unordered, unsliced). */
export function matching(db: Database, ma: ModelAdmin, query: URLSearchParams): AnyQuerySet {
  let qs = db.query(ma.model) as unknown as AnyQuerySet
  const terms = ma.search.length > 0 ? searchTerms(query.get("q") ?? "") : []
  for (const term of terms) {
    const alternatives = ma.search.map((path) => searchFilter(path, term))
    qs = qs.filter(((q: { or(...c: unknown[]): unknown }) => q.or(...alternatives)) as never)
  }
  for (const cond of activeFilters(ma, query)) qs = qs.filter(cond as never)
  return qs
}

/** Whether the page has a search or a filter (so a count estimate would be wrong). */
export function isNarrowed(ma: ModelAdmin, query: URLSearchParams): boolean {
  return (
    (ma.search.length > 0 && searchTerms(query.get("q") ?? "").length > 0) ||
    activeFilters(ma, query).length > 0
  )
}
