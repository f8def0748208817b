/**
 * Inlines: the related rows of another model edited on the parent's page (Django's
 * `TabularInline`). Each row is `inl<i>-<n>-<field>`, with its `id` and a `DELETE`
 * box; blank extra rows add new related rows. Each change needs the related model's
 * own add, change or delete permission, and a row id that is not the parent's is
 * ignored.
 * @module
 */
import type { Context } from "../../kit.js"
import type { AnyModel, Executor } from "../../orm/index.js"
import { type AdminField, adminField, defaultFormFields } from "../fields.js"
import { logAction } from "../log.js"
import { defaultDisplay, inlineFk, type ModelAdmin } from "../model-admin.js"
import { capitalize, modelLabel, modelLabels, plural } from "../naming.js"
import type { Inline } from "../options.js"
import { permsOf, type SiteState, widgetContext } from "../views/common.js"
import { sectionViews } from "./field-views.js"
import { type ParsedForm, parseForm } from "./parse.js"
import { FormRejected, rejection } from "./save.js"

const MAX_ROWS = 1000

interface InlineSpec {
  readonly inline: Inline
  readonly index: number
  readonly fkKey: string
  readonly fields: AdminField[]
}

/** One submitted inline row. */
export interface InlineRow {
  readonly prefix: string
  readonly existing: Record<string, unknown> | undefined
  readonly remove: boolean
  readonly parsed: ParsedForm
  errors: Record<string, string[]>
}

/** The submitted rows of one inline. */
export interface InlineForm {
  readonly spec: InlineSpec
  readonly rows: InlineRow[]
}

function specOf(parent: AnyModel, inline: Inline, index: number): InlineSpec {
  const fk = inlineFk(parent, inline)
  const names = inline.options.fields ?? defaultFormFields(inline.model).filter((n) => n !== fk)
  const fields = names
    .map((n) => adminField(inline.model, n))
    .filter((f): f is AdminField => f !== undefined && f.relation !== "m2m" && f.name !== fk)
  return { inline, index, fkKey: `${fk}Id`, fields }
}

async function existingRows(db: Executor, spec: InlineSpec, parentId: unknown) {
  return (await db
    .query(spec.inline.model)
    .filter({ [spec.fkKey]: parentId } as never)
    .orderBy("id" as never)
    .all()) as Record<string, unknown>[]
}

function blank(parsed: ParsedForm): boolean {
  return Object.values(parsed.typed).every((v) => (Array.isArray(v) ? v.length === 0 : v === ""))
}

/** Reads every inline's rows from a POST. */
export async function parseInlines(ma: ModelAdmin, form: FormData): Promise<InlineForm[]> {
  const out: InlineForm[] = []
  for (const [index, inline] of ma.inlines.entries()) {
    const spec = specOf(ma.model, inline, index)
    const total = Math.min(Number(form.get(`inl${index}-TOTAL`) ?? 0) || 0, MAX_ROWS)
    const rows: InlineRow[] = []
    for (let n = 0; n < total; n++) {
      const prefix = `inl${index}-${n}-`
      const parsed = await parseForm(form, spec.fields, prefix)
      const id = String(form.get(`${prefix}id`) ?? "")
      rows.push({
        prefix,
        existing: id === "" ? undefined : { id },
        remove: form.has(`${prefix}DELETE`),
        parsed,
        errors: id === "" && blank(parsed) ? {} : { ...parsed.errors },
      })
    }
    out.push({ spec, rows })
  }
  return out
}

/** Saves the inline rows under the saved parent, in the parent's transaction. */
export async function saveInlines(
  tx: Executor,
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  parent: Record<string, unknown>,
  forms: InlineForm[],
): Promise<void> {
  for (const { spec, rows } of forms) {
    const child = spec.inline.model
    const perms = await permsOf(c, child)
    const mine = new Map((await existingRows(tx, spec, parent.id)).map((r) => [String(r.id), r]))
    const { app, slug } = modelLabels(child)
    const name = site.byModel.get(child)?.display ?? defaultDisplay(child)
    for (const r of rows) {
      const own = r.existing ? mine.get(String(r.existing.id)) : undefined
      if (r.existing && own === undefined) continue // not this parent's row: ignored
      if (own && r.remove) {
        if (!perms.delete) continue
        await tx.query(child).deleteRow(own as never)
        await logAction(tx, c, {
          app,
          modelName: slug,
          objectId: own.id,
          objectRepr: name(own),
          action: "delete",
        })
        continue
      }
      if (own ? !perms.change : !perms.add || blank(r.parsed)) continue
      try {
        const values = { ...r.parsed.values, [spec.fkKey]: parent.id }
        const saved = (
          own
            ? await tx.query(child).save({ ...own, ...values } as never)
            : await tx.query(child).create(values as never)
        ) as Record<string, unknown>
        await logAction(tx, c, {
          app,
          modelName: slug,
          objectId: saved.id,
          objectRepr: name(saved),
          action: own ? "change" : "add",
        })
      } catch (err) {
        r.errors = rejection(ma, spec.fields, err).errors
        throw new FormRejected({})
      }
    }
  }
}

/** The inlines' template data: saved rows, then blank extra rows (or what was typed). */
export async function inlineViews(
  c: Context,
  site: SiteState,
  ma: ModelAdmin,
  parent: Record<string, unknown> | undefined,
  submitted: InlineForm[],
  canSave: boolean,
) {
  const out = []
  const widgets = await widgetContext(c, site)
  for (const [index, inline] of ma.inlines.entries()) {
    const spec = specOf(ma.model, inline, index)
    const perms = await permsOf(c, inline.model)
    if (!perms.view && !perms.add) continue
    const sent = submitted.find((s) => s.spec.index === index)
    const saved = parent ? await existingRows(site.db, spec, parent.id) : []
    const extra = canSave && perms.add ? (inline.options.extra ?? 1) : 0
    const section = [{ title: undefined, description: undefined, fields: spec.fields }]
    const locked = new Set(canSave && perms.change ? [] : spec.fields.map((f) => f.name))
    const rows = []
    const count = sent ? sent.rows.length : saved.length + extra
    for (let n = 0; n < count; n++) {
      const prefix = `inl${index}-${n}-`
      const row = sent ? sent.rows[n] : undefined
      const stored = row?.existing
        ? saved.find((s) => String(s.id) === String(row.existing?.id))
        : saved[n]
      const [view] = await sectionViews(
        site.db,
        section,
        stored ?? {},
        row?.parsed.typed,
        row?.errors ?? {},
        stored ? locked : new Set(),
        widgets,
        prefix,
      )
      rows.push({
        prefix,
        id: stored ? String(stored.id) : "",
        fields: view?.fields ?? [],
        canDelete: stored !== undefined && canSave && perms.delete,
        remove: row?.remove ?? false,
      })
    }
    out.push({
      title: inline.options.title ?? capitalize(plural(modelLabel(inline.model))),
      headers: spec.fields.map((f) => ({ label: f.label, required: f.required })),
      rows,
      totalName: `inl${index}-TOTAL`,
      total: rows.length,
    })
  }
  return out
}
