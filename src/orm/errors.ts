/**
 * The error catalogue of `truss/orm`. Every code is listed in `docs/errors.md`.
 * @module
 */
import { defineError } from "../kit.js"

/** What a violation names: `user.email`, `post(title, code)`, `(constraint x on user)`, or nothing. */
function violated(p: {
  table?: string | undefined
  column?: string | undefined
  constraint?: string | undefined
}): string {
  if (p.column?.includes(", ")) return ` ${p.table ?? ""}(${p.column})`
  if (p.column !== undefined) return ` ${p.table === undefined ? "" : `${p.table}.`}${p.column}`
  if (p.constraint !== undefined)
    return ` (constraint ${p.constraint}${p.table === undefined ? "" : ` on ${p.table}`})`
  return p.table === undefined ? "" : ` on ${p.table}`
}

const INTEGRITY_FIX = {
  unique: (w: string) =>
    `Duplicate value for${w || " a unique key"}: another row already has it. Use a different value, or update the existing row instead.`,
  foreignKey: (w: string) =>
    `Foreign key violation${w}: the row points at a row that does not exist, or a row being deleted is still referenced. Point the key at an existing row, or delete or reassign the referencing rows first.`,
  notNull: (w: string) =>
    `Missing value for${w || " a NOT NULL column"}: it cannot be NULL. Give it a value, or declare the field with { null: true } and migrate.`,
  check: (w: string) =>
    `Check constraint failed${w}: the values do not satisfy it. Change the values so the check holds.`,
} as const

/**
 * Coded errors thrown by `truss/orm`.
 * @example
 * ```ts
 * import { ormErrors } from "truss/orm"
 * try {
 *   // await db.query(User).get({ username: "nobody" })
 * } catch (err) {
 *   if (ormErrors.DOES_NOT_EXIST.is(err)) console.log("not found")
 * }
 * ```
 */
export const ormErrors = {
  DOES_NOT_EXIST: defineError(
    "TRUSS_ERR_ORM_DOES_NOT_EXIST",
    (p: { model: string }) =>
      `No ${p.model} matches the query. Check the filter, or use .first() to get undefined instead of an error.`,
    404,
  ),
  MULTIPLE_OBJECTS: defineError(
    "TRUSS_ERR_ORM_MULTIPLE_OBJECTS",
    (p: { model: string; count: number }) =>
      `get() found ${p.count} ${p.model} rows but expects exactly one. Filter on a unique field, or use .first().`,
    500,
  ),
  UNKNOWN_FIELD: defineError(
    "TRUSS_ERR_ORM_UNKNOWN_FIELD",
    (p: { model: string; field: string; known: string }) =>
      `Model ${p.model} has no field "${p.field}". Use one of: ${p.known}.`,
    500,
  ),
  UNKNOWN_LOOKUP: defineError(
    "TRUSS_ERR_ORM_UNKNOWN_LOOKUP",
    (p: { field: string; lookup: string }) =>
      `Unknown lookup "${p.lookup}" on field "${p.field}". Use one of: eq, ne, lt, lte, gt, gte, in, notIn, contains, icontains, startsWith, endsWith, isNull, range.`,
    500,
  ),
  INVALID_MODEL: defineError(
    "TRUSS_ERR_ORM_INVALID_MODEL",
    (p: { model: string; reason: string }) => `Model ${p.model} is invalid: ${p.reason}.`,
    500,
  ),
  INVALID_URL: defineError(
    "TRUSS_ERR_ORM_INVALID_URL",
    (p: { url: string }) =>
      `Cannot connect to "${p.url}": use sqlite:./app.db, sqlite::memory:, postgres://user@host/db or mysql://user@host/db.`,
    500,
  ),
  DRIVER_MISSING: defineError(
    "TRUSS_ERR_ORM_DRIVER_MISSING",
    (p: { driver: string }) =>
      `The database driver "${p.driver}" is not installed. Run npm install ${p.driver}.`,
    500,
  ),
  UNAVAILABLE: defineError(
    "TRUSS_ERR_ORM_UNAVAILABLE",
    "The database cannot be reached right now (connection refused or lost). Retry shortly; check that the server is up and reachable.",
    503,
  ),
  CANNOT_OPEN: defineError(
    "TRUSS_ERR_ORM_CANNOT_OPEN",
    (p: { url: string; reason: string }) =>
      `Cannot open the database ${p.url}: ${p.reason}. For SQLite, create the file's folder first; otherwise check DATABASE_URL.`,
    500,
  ),
  VALIDATION: defineError(
    "TRUSS_ERR_ORM_VALIDATION",
    (p: { model: string; summary: string }) =>
      `Invalid ${p.model}: ${p.summary}. Fix the listed fields (see the error's extensions.errors).`,
    422,
  ),
  INVALID_QUERY: defineError(
    "TRUSS_ERR_ORM_INVALID_QUERY",
    (p: { reason: string }) => `Invalid query: ${p.reason}.`,
    500,
  ),
  TRANSACTION_CLOSED: defineError(
    "TRUSS_ERR_ORM_TRANSACTION_CLOSED",
    "The transaction has already committed or rolled back. Run queries inside the db.transaction() callback and await them before it returns.",
    500,
  ),
  MIGRATION_LOCKED: defineError(
    "TRUSS_ERR_ORM_MIGRATION_LOCKED",
    "Another process is migrating this database. Wait for it to finish, then run truss migrate again.",
    409,
  ),
  MIGRATION_UNKNOWN: defineError(
    "TRUSS_ERR_ORM_MIGRATION_UNKNOWN",
    (p: { name: string; known: string }) =>
      `No migration is named "${p.name}". Known migrations: ${p.known}.`,
    500,
  ),
  MIGRATION_AMBIGUOUS_RENAME: defineError(
    "TRUSS_ERR_ORM_MIGRATION_AMBIGUOUS_RENAME",
    (p: { table: string; from: string; to: string }) =>
      `On ${p.table}, "${p.from}" was removed and "${p.to}" added with the same type. Pass --rename ${p.table}.${p.from}=${p.to} to rename, or --no-rename to drop and add.`,
    500,
  ),
  MIGRATION_AMBIGUOUS_TABLE: defineError(
    "TRUSS_ERR_ORM_MIGRATION_AMBIGUOUS_TABLE",
    (p: { from: string; to: string }) =>
      `Table "${p.from}" was removed and "${p.to}" added with the same columns. If you renamed the model, keep its table with model(…, { table: "${p.from}" }); pass --no-rename to drop "${p.from}" and its rows.`,
    500,
  ),
  MIGRATIONS_OUT_OF_DATE: defineError(
    "TRUSS_ERR_ORM_MIGRATIONS_OUT_OF_DATE",
    (p: { changes: string }) =>
      `The models have changes that no migration records: ${p.changes}. Run truss makemigrations and commit the new file.`,
    500,
  ),
  INTEGRITY: defineError(
    "TRUSS_ERR_ORM_INTEGRITY",
    (p: {
      kind: "unique" | "foreignKey" | "notNull" | "check"
      table?: string | undefined
      column?: string | undefined
      constraint?: string | undefined
    }) => INTEGRITY_FIX[p.kind](violated(p)),
    409,
  ),
  PROTECTED: defineError(
    "TRUSS_ERR_ORM_PROTECTED",
    (p: { model: string; relations: readonly { field: string; onDelete: string }[] }) => {
      const rules = new Set(p.relations.map((r) => r.onDelete))
      const list =
        rules.size === 1
          ? p.relations.map((r) => r.field).join(", ")
          : p.relations.map((r) => `${r.field} (onDelete: "${r.onDelete}")`).join(", ")
      const verb = p.relations.length === 1 ? "references" : "reference"
      const rule = rules.size === 1 ? ` (onDelete: "${[...rules][0]}")` : ""
      return `Cannot delete ${p.model} rows: ${list} still ${verb} them${rule}. Delete or reassign those rows first.`
    },
    409,
  ),
  CONFIG_NOT_FOUND: defineError(
    "TRUSS_ERR_ORM_CONFIG_NOT_FOUND",
    (p: { path: string }) =>
      `No Truss config at ${p.path}. Create truss.config.ts exporting defineConfig({ database, models, migrations }), or pass --config.`,
    500,
  ),
} as const
