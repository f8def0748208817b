/**
 * The admin's history: one `admin_log_entry` row per add, change and delete, with who
 * did it, when, and which fields changed from what to what.
 * @module
 */
import type { Context } from "../kit.js"
import { type Executor, field, model, type Row } from "../orm/index.js"

/**
 * A log entry (`admin_log_entry`): like Django's `LogEntry`. `changes` lists
 * `{ field, from, to }` for a change, the saved values for an add.
 * @example
 * ```ts
 * import { LogEntry } from "truss/admin"
 * LogEntry.meta.table // "admin_log_entry"
 * ```
 */
export const LogEntry = model(
  "adminLogEntry",
  {
    actionTime: field.datetime({ default: "now" }),
    userId: field.integer({ null: true }),
    userEmail: field.string({ max: 254, default: "" }),
    app: field.string({ max: 100 }),
    modelName: field.string({ max: 100 }),
    objectId: field.string({ max: 100 }),
    objectRepr: field.string({ max: 200 }),
    action: field.enum(["add", "change", "delete"]),
    changes: field.json<FieldChange[]>({ default: () => [] }),
  },
  {
    table: "admin_log_entry",
    app: "admin",
    label: "log entry",
    ordering: ["-actionTime", "-id"],
    indexes: [{ fields: ["app", "modelName", "objectId"] }, { fields: ["userId", "actionTime"] }],
  },
)

/**
 * A row of {@link LogEntry}.
 * @example
 * ```ts
 * import type { LogEntryRow } from "truss/admin"
 * const who = (e: LogEntryRow) => `${e.userEmail} ${e.action} ${e.objectRepr}`
 * ```
 */
export type LogEntryRow = Row<typeof LogEntry>

/**
 * One field's change, as text.
 * @example
 * ```ts
 * import type { FieldChange } from "truss/admin"
 * const change: FieldChange = { field: "Title", from: "Draft", to: "Final" }
 * ```
 */
export interface FieldChange {
  field: string
  from?: string
  to: string
}

/**
 * The models the admin needs in your migrations (or `createTables`).
 * @example
 * ```ts
 * import { adminModels } from "truss/admin"
 * import { authModels } from "truss/auth"
 * import { connect, createTables } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await createTables(db, [...authModels, ...adminModels])
 * ```
 */
export const adminModels = [LogEntry] as const

/** Records one admin action by the request's user. @internal */
export async function logAction(
  db: Executor,
  c: Context,
  entry: {
    app: string
    modelName: string
    objectId: unknown
    objectRepr: string
    action: "add" | "change" | "delete"
    changes?: FieldChange[]
  },
): Promise<void> {
  const user = c.user
  await db.query(LogEntry).create({
    userId: user === undefined ? null : Number(user.id),
    userEmail: user?.email ?? "",
    app: entry.app,
    modelName: entry.modelName,
    objectId: String(entry.objectId),
    objectRepr: entry.objectRepr.slice(0, 200),
    action: entry.action,
    changes: entry.changes ?? [],
  })
}
