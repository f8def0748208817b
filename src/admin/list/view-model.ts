/**
 * The list page's template data: headers with sort links, rows of cells, the filter
 * sidebar and the pagination bar.
 * @module
 */
import type { Database } from "../../orm/index.js"
import { cellOf } from "../display.js"
import type { AdminField } from "../fields.js"
import type { FilterField, ModelAdmin } from "../model-admin.js"
import type { AdminSummaryItem } from "../options.js"

/** A URL of the list with some query parameters changed (`undefined` removes one). */
export function withQuery(
  base: string,
  query: URLSearchParams,
  changes: Record<string, string | undefined>,
): string {
  const next = new URLSearchParams(query)
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") next.delete(k)
    else next.set(k, v)
  }
  const s = next.toString()
  return s === "" ? base : `${base}?${s}`
}

/** The column headers, each with the URL that sorts by it. */
export function headersOf(
  ma: ModelAdmin,
  base: string,
  query: URLSearchParams,
  ordering: string[],
) {
  const first = ordering[0] ?? ""
  return ma.columns.map((col) => {
    if (col.sortKey === undefined) return { label: col.label, url: undefined, sort: "none" }
    const asc = first === col.sortKey
    const desc = first === `-${col.sortKey}`
    const next = asc ? `-${col.sortKey}` : col.sortKey
    return {
      label: col.label,
      url: withQuery(base, query, { o: next, p: undefined }),
      sort: asc ? "ascending" : desc ? "descending" : "none",
    }
  })
}

/** One table row: its id, change URL and cells. */
export function rowsOf(
  ma: ModelAdmin,
  rows: Record<string, unknown>[],
  changeUrl: (id: unknown) => string,
  display: (
    m: NonNullable<ModelAdmin["columns"][number]["related"]>,
  ) => (r: Record<string, unknown>) => string,
) {
  return rows.map((row) => ({
    id: String(row.id),
    url: changeUrl(row.id),
    name: ma.display(row),
    cells: ma.columns.map((col, i) => {
      const value = col.value(row)
      const cell =
        col.related && value && typeof value === "object"
          ? cellOf(display(col.related)(value as Record<string, unknown>))
          : cellOf(value, col.field)
      const choice = col.field?.choices !== undefined && cell.kind === "text"
      return { ...cell, kind: choice ? "choice" : cell.kind, link: ma.links.has(i) }
    }),
  }))
}

type Option = { label: string; url: string; selected: boolean }

function linkOptions(
  f: AdminField,
  base: string,
  query: URLSearchParams,
  choices: { value: string; label: string }[],
): Option[] {
  const current = query.get(f.key) ?? ""
  const all = {
    label: "All",
    url: withQuery(base, query, { [f.key]: undefined, p: undefined }),
    selected: current === "",
  }
  const rest = choices.map((ch) => ({
    label: ch.label,
    url: withQuery(base, query, { [f.key]: ch.value, p: undefined }),
    selected: current === ch.value,
  }))
  return [all, ...rest]
}

/** The values a `distinct` filter offers: those in the table, sorted, at most 200. */
async function distinctValues(db: Database, ma: ModelAdmin, f: FilterField) {
  const rows = (await db
    .query(ma.model)
    .values(f.key as never)
    .distinct()
    .orderBy(f.key as never)
    .limit(200)
    .all()) as Record<string, unknown>[]
  return rows
    .map((r) => r[f.key])
    .filter((v) => v !== null && v !== undefined)
    .map((v) => ({ value: String(v), label: String(v) }))
}

/** The figures above the list, each linking to the list narrowed by its filter. */
export function summaryOf(
  items: readonly AdminSummaryItem[],
  base: string,
  query: URLSearchParams,
) {
  return items.map((item) => {
    const filter = item.filter ?? {}
    const keys = Object.keys(filter)
    return {
      label: item.label,
      value: item.value,
      url: withQuery(base, new URLSearchParams(), filter),
      selected: keys.length > 0 && keys.every((k) => query.get(k) === filter[k]),
    }
  })
}

/** The sidebar: one entry per filter. */
export async function filtersOf(
  db: Database,
  ma: ModelAdmin,
  base: string,
  query: URLSearchParams,
  display: (m: NonNullable<AdminField["target"]>) => (r: Record<string, unknown>) => string,
) {
  const out = []
  for (const f of ma.filters) {
    if (f.kind === "date" || f.kind === "datetime") {
      out.push({
        type: "date",
        label: f.label,
        key: f.key,
        from: query.get(`${f.key}_from`) ?? "",
        to: query.get(`${f.key}_to`) ?? "",
        clear: withQuery(base, query, { [`${f.key}_from`]: undefined, [`${f.key}_to`]: undefined }),
      })
      continue
    }
    if (f.relation === "fk" && f.target) {
      const name = display(f.target)
      const rows = (await db.query(f.target).limit(200).all()) as Record<string, unknown>[]
      const current = query.get(f.key) ?? ""
      out.push({
        type: "select",
        label: f.label,
        key: f.key,
        options: [
          { value: "", label: "All", selected: current === "" },
          ...(f.nullable
            ? [{ value: "__null", label: "None", selected: current === "__null" }]
            : []),
          ...rows.map((r) => ({
            value: String(r.id),
            label: name(r),
            selected: current === String(r.id),
          })),
        ],
      })
      continue
    }
    const choices =
      f.kind === "boolean"
        ? [
            { value: "1", label: "Yes" },
            { value: "0", label: "No" },
          ]
        : f.distinct
          ? await distinctValues(db, ma, f)
          : (f.choices ?? []).map((c) => ({ value: String(c), label: String(c) }))
    if (f.nullable) choices.push({ value: "__null", label: "Unknown" })
    out.push({
      type: "links",
      label: f.label,
      key: f.key,
      options: linkOptions(f, base, query, choices),
    })
  }
  return out
}

/** Page links: first, last and the pages around the current one, `…` between gaps. */
export function pagesOf(base: string, query: URLSearchParams, page: number, pages: number) {
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2])
  const list = [...wanted].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const out: { number: number | undefined; url: string | undefined; current: boolean }[] = []
  let prev = 0
  for (const n of list) {
    if (n - prev > 1) out.push({ number: undefined, url: undefined, current: false })
    out.push({
      number: n,
      url: withQuery(base, query, { p: n === 1 ? undefined : String(n) }),
      current: n === page,
    })
    prev = n
  }
  return {
    items: out,
    prev:
      page > 1
        ? withQuery(base, query, { p: page === 2 ? undefined : String(page - 1) })
        : undefined,
    next: page < pages ? withQuery(base, query, { p: String(page + 1) }) : undefined,
  }
}
