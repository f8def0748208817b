/**
 * Saving a parsed form: the admin's and the model's hooks, the row, its many-to-many
 * links and a log entry with the field diff, in one transaction. The ORM's validation
 * and integrity errors come back as messages next to the fields.
 * @module
 */
import type { Context } from "../../kit.js"
import { type Executor, ormErrors } from "../../orm/index.js"
import { diffText } from "../display.js"
import type { AdminField } from "../fields.js"
import { type FieldChange, logAction } from "../log.js"
import type { ModelAdmin } from "../model-admin.js"
import type { ParsedForm } from "./parse.js"

/** A save that the database or the model's validation refused, as field messages. */
export class FormRejected extends Error {
  constructor(readonly errors: Record<string, string[]>) {
    super("form rejected")
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return diffText(a) === diffText(b)
}

/** Names related rows by id, for the log: `Ann Lee`, not `2`. */
export type RelatedNames = (f: AdminField, ids: readonly unknown[]) => Promise<string>

/** Names the rows of `f.target` with `ids`, in id order. */
export function relatedNames(
  tx: Executor,
  name: (m: NonNullable<AdminField["target"]>) => (row: Record<string, unknown>) => string,
): RelatedNames {
  return async (f, ids) => {
    const wanted = ids.filter((id) => id !== null && id !== undefined && id !== "")
    if (f.target === undefined || wanted.length === 0) return ""
    const rows = (await tx
      .query(f.target)
      .filter({ id: { in: wanted } } as never)
      .orderBy("id" as never)
      .all()) as Record<string, unknown>[]
    return rows.map(name(f.target)).join(", ")
  }
}

/** The `{ field, from, to }` list of what changed. */
export async function diffOf(
  fields: readonly AdminField[],
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  linksBefore: Record<string, string[]>,
  links: Record<string, unknown[]>,
  names: RelatedNames,
): Promise<FieldChange[]> {
  const out: FieldChange[] = []
  const change = (f: AdminField, from: string, to: string) => {
    // an add lists the values given, not the empty ones
    if (before !== undefined || to !== "")
      out.push({ field: f.label, ...(before ? { from } : {}), to })
  }
  for (const f of fields) {
    if (f.relation === "m2m") {
      const now = (links[f.key] ?? []).map(String).sort()
      const was = [...(linksBefore[f.key] ?? [])].sort()
      if (links[f.key] !== undefined && now.join(",") !== was.join(","))
        change(f, await names(f, was), await names(f, now))
      continue
    }
    if (!(f.key in after)) continue
    if (before && sameValue(before[f.key], after[f.key])) continue
    if (f.relation === "fk")
      change(f, await names(f, [before?.[f.key]]), await names(f, [after[f.key]]))
    else change(f, diffText(before?.[f.key]), diffText(after[f.key]))
  }
  return out
}

/** Keeps a stored datetime the form showed to the second (the input drops milliseconds). */
function keepPrecision(
  fields: readonly AdminField[],
  row: Record<string, unknown> | undefined,
  values: Record<string, unknown>,
): void {
  for (const f of fields) {
    const stored = row?.[f.key]
    const sent = values[f.key]
    if (f.kind !== "datetime" || !(stored instanceof Date) || !(sent instanceof Date)) continue
    if (Math.floor(stored.getTime() / 1000) * 1000 === sent.getTime()) values[f.key] = stored
  }
}

/** Maps ORM validation and integrity errors to field messages; rethrows others. */
export function rejection(
  ma: ModelAdmin,
  fields: readonly AdminField[],
  err: unknown,
): FormRejected {
  if (ormErrors.VALIDATION.is(err)) {
    const list = (err.extensions?.errors ?? []) as { field?: string; message: string }[]
    const out: Record<string, string[]> = {}
    for (const e of list) {
      const key = e.field && fields.some((f) => f.key === e.field) ? e.field : "_form"
      out[key] = [...(out[key] ?? []), e.message]
    }
    return new FormRejected(out)
  }
  if (ormErrors.INTEGRITY.is(err)) {
    const ext = err.extensions as { kind?: string; column?: string } | undefined
    const f = fields.find(
      (x) => ext?.column !== undefined && ma.model.meta.findColumn(x.key)?.column === ext.column,
    )
    const message =
      ext?.kind === "unique"
        ? `A ${ma.label} with this ${(f?.label ?? "value").toLowerCase()} already exists.`
        : ext?.kind === "foreignKey"
          ? "Select a valid choice; that row no longer exists."
          : "The database refused these values. Check the fields and try again."
    return new FormRejected({ [f?.key ?? "_form"]: [message] })
  }
  throw err
}

/** Saves `parsed` as a new row (no `row`) or over `row`; returns the saved row. */
export async function saveForm(
  tx: Executor,
  c: Context,
  ma: ModelAdmin,
  fields: readonly AdminField[],
  parsed: ParsedForm,
  row: Record<string, unknown> | undefined,
  linksBefore: Record<string, string[]>,
  names: RelatedNames,
): Promise<Record<string, unknown>> {
  const created = row === undefined
  const values = { ...parsed.values }
  keepPrecision(fields, row, values)
  await ma.hooks.beforeSave?.(values, { created, c, ...(row ? { row: row as never } : {}) })
  let saved: Record<string, unknown>
  try {
    saved = created
      ? ((await tx.query(ma.model).create(values as never)) as Record<string, unknown>)
      : ((await tx.query(ma.model).save({ ...row, ...values } as never)) as Record<string, unknown>)
  } catch (err) {
    throw rejection(ma, fields, err)
  }
  for (const [name, ids] of Object.entries(parsed.links)) {
    await tx
      .query(ma.model)
      .related(saved.id as never, name as never)
      .set(ids as never)
  }
  await logAction(tx, c, {
    app: ma.app,
    modelName: ma.slug,
    objectId: saved.id,
    objectRepr: ma.display(saved),
    action: created ? "add" : "change",
    changes: await diffOf(fields, row, values, linksBefore, parsed.links, names),
  })
  return saved
}
