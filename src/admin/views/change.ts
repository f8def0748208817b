/**
 * The add and change pages: a form generated from the model's fields. A user with
 * only the view permission sees the same page read-only, and the server refuses
 * their POST.
 * @module
 */
import type { Context, Reply } from "../../kit.js"
import type { AnyModel } from "../../orm/index.js"
import { adminErrors } from "../errors.js"
import type { AdminField } from "../fields.js"
import { sectionViews } from "../form/field-views.js"
import { inlineViews, parseInlines, saveInlines } from "../form/inlines.js"
import { parseForm } from "../form/parse.js"
import { FormRejected, relatedNames, saveForm } from "../form/save.js"
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
  widgetContext,
} from "./common.js"

/** The fields a POST may write: on the form and not read-only. */
export function editableFields(ma: ModelAdmin): AdminField[] {
  return ma.sections.flatMap((s) => s.fields).filter((f) => !ma.readonly.has(f.name))
}

async function linksOf(site: SiteState, ma: ModelAdmin, row: Record<string, unknown> | undefined) {
  const out: Record<string, string[]> = {}
  if (row === undefined) return out
  for (const f of ma.sections.flatMap((s) => s.fields)) {
    if (f.relation !== "m2m") continue
    const related = await site.db
      .query(ma.model)
      .related(row.id as never, f.name as never)
      .query()
      .all()
    out[f.key] = (related as Record<string, unknown>[]).map((r) => String(r.id))
  }
  return out
}

function defaultsOf(m: AnyModel): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(m.fields)) {
    const d = (f as { options?: { default?: unknown } }).options?.default
    if (d !== undefined && d !== "now")
      out[name] = typeof d === "function" ? (d as () => unknown)() : d
  }
  return out
}

/** The model's own messages for the values read, so every wrong field shows at once. */
async function modelIssues(
  ma: ModelAdmin,
  values: Record<string, unknown>,
  adding: boolean,
  known: Record<string, string[]>,
): Promise<Record<string, string[]>> {
  const schema = adding ? ma.model.createSchema : ma.model.updateSchema
  const result = await schema["~standard"].validate(values)
  const out: Record<string, string[]> = {}
  for (const issue of result.issues ?? []) {
    const head = issue.path?.[0] as PropertyKey | { key: PropertyKey } | undefined
    const key = String(typeof head === "object" ? head.key : (head ?? "_form"))
    if (known[key] !== undefined) continue // already has the form's own message
    out[key] = [...(out[key] ?? []), issue.message]
  }
  return out
}

/** Read-only fields with a `formats` entry show its text, or its code block. */
function formatted<S extends { fields: { name: string }[] }>(
  ma: ModelAdmin,
  sections: S[],
  row: Record<string, unknown>,
  readonlyNames: ReadonlySet<string>,
): S[] {
  return sections.map((s) => ({
    ...s,
    fields: s.fields.map((f) => {
      const format = ma.formats[f.name]
      if (format === undefined || !readonlyNames.has(f.name)) return f
      const shown = format(row as never)
      return typeof shown === "string" ? { ...f, display: shown } : { ...f, code: shown.code }
    }),
  }))
}

/** Where a saved form goes: the list, the same object, or a blank add form. */
function afterSave(
  c: Context,
  form: FormData,
  site: SiteState,
  ma: ModelAdmin,
  id: unknown,
): Reply {
  const urls = modelUrls(site, ma)
  if (form.has("_continue")) return c.redirect(urls.change(id), 303)
  if (form.has("_addanother")) return c.redirect(urls.add, 303)
  return c.redirect(urls.list, 303)
}

/** GET and POST the add page (`rawId` undefined) or the change page. */
export async function changePage(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  rawId: string | undefined,
): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const perms = await permsOf(c, ma.model)
  const adding = rawId === undefined
  if (adding && !ma.editable) throw adminErrors.READ_ONLY({ model: ma.label })
  need(adding ? perms.add : perms.view, ma.model, adding ? "add" : "view")
  const row = adding ? undefined : await rowAt(site, ma, rawId)
  const linksBefore = await linksOf(site, ma, row)
  const canSave = ma.editable && (adding ? perms.add : perms.change)
  const display = displayFor(site)
  const fields = editableFields(ma)
  let typed: Record<string, string | string[]> | undefined
  let errors: Record<string, string[]> = {}
  let inlineForms: Awaited<ReturnType<typeof parseInlines>> = []
  if (c.req.method === "POST") {
    if (!ma.editable) throw adminErrors.READ_ONLY({ model: ma.label })
    need(canSave, ma.model, adding ? "add" : "change")
    const form = await c.req.form()
    const parsed = await parseForm(form, fields)
    inlineForms = await parseInlines(ma, form)
    const inlineErrors = inlineForms.some((i) =>
      i.rows.some((r) => Object.keys(r.errors).length > 0),
    )
    typed = parsed.typed
    errors = { ...parsed.errors, ...(await modelIssues(ma, parsed.values, adding, parsed.errors)) }
    if (Object.keys(errors).length === 0 && !inlineErrors) {
      try {
        const saved = await site.db.transaction(async (tx) => {
          const names = relatedNames(tx, display)
          const s = await saveForm(tx, c, ma, fields, parsed, row, linksBefore, names)
          await saveInlines(tx, c, site, ma, s, inlineForms)
          return s
        })
        await ma.hooks.afterSave?.(saved as never, { created: adding, c })
        const name = ma.display(saved)
        c.flash("success", `The ${ma.label} “${name}” was ${adding ? "added" : "changed"}.`)
        return afterSave(c, form, site, ma, saved.id)
      } catch (err) {
        if (!(err instanceof FormRejected)) throw err
        errors = err.errors
      }
    }
  }
  const urls = modelUrls(site, ma)
  const values = row ? { ...row, ...linksBefore } : defaultsOf(ma.model)
  const readonlyAll = canSave
    ? ma.readonly
    : new Set(ma.sections.flatMap((s) => s.fields.map((f) => f.name)))
  const widgets = await widgetContext(c, site)
  const sections = await sectionViews(
    site.db,
    ma.sections,
    values,
    typed,
    errors,
    readonlyAll,
    widgets,
  )
  const name = row ? ma.display(row) : undefined
  const title = adding ? `Add ${ma.label}` : canSave ? `Change ${ma.label}` : `View ${ma.label}`
  const failed =
    Object.keys(errors).length > 0 ||
    inlineForms.some((i) => i.rows.some((r) => Object.keys(r.errors).length > 0))
  return page(
    c,
    site,
    "change.liquid",
    {
      title,
      current: ma,
      crumbs: [
        { label: "Home", url: `${site.prefix}/` },
        { label: capitalize(ma.labelPlural), url: urls.list },
        { label: name ?? `Add ${ma.label}` },
      ],
      name,
      sections: row ? formatted(ma, sections, row, readonlyAll) : sections,
      formErrors: errors._form ?? [],
      failed,
      inlines: await inlineViews(c, site, ma, row, inlineForms, canSave),
      canSave,
      canAdd: perms.add,
      multipart: ma.sections.some((s) => s.fields.some((f) => f.widget === "file")),
      action: adding ? urls.add : urls.change(row?.id),
      deleteUrl: row && perms.delete ? urls.delete(row.id) : undefined,
      historyUrl: row ? urls.history(row.id) : undefined,
    },
    failed ? 422 : 200,
  )
}
