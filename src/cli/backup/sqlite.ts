/**
 * SQLite backup and restore through SQLite's online backup API (better-sqlite3's
 * `db.backup()`): pages are copied in steps while other connections keep writing, and
 * the copy is one consistent snapshot (a step that sees a write by another connection
 * restarts the copy), so it is safe under a running app.
 * @module
 */
import { rm } from "node:fs/promises"
import type { Progress } from "../progress/index.js"

/** Pages copied per step: small enough for a smooth bar, large enough to finish fast. */
const PAGES_PER_STEP = 256

interface BackupMetadata {
  totalPages: number
  remainingPages: number
}
interface SqliteHandle {
  backup(file: string, options: { progress(info: BackupMetadata): number }): Promise<BackupMetadata>
  pragma(sql: string, options?: { simple: boolean }): unknown
  close(): void
}
type SqliteCtor = new (
  file: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => SqliteHandle

async function open(file: string, readonly: boolean): Promise<SqliteHandle> {
  const driver = "better-sqlite3" // a variable: the package ships no types
  const Ctor = ((await import(driver)) as { default: SqliteCtor }).default
  return new Ctor(file, { readonly, fileMustExist: true })
}

async function copy(from: SqliteHandle, to: string, bar: Progress): Promise<number> {
  const done = await from.backup(to, {
    progress({ totalPages, remainingPages }) {
      bar.update(
        totalPages === 0 ? 0 : Math.round(((totalPages - remainingPages) / totalPages) * 100),
      )
      return PAGES_PER_STEP
    },
  })
  bar.update(100)
  return done.totalPages
}

/** Copies the live database `file` to `target` (replaced); returns the page count. */
export async function backupSqlite(file: string, target: string, bar: Progress): Promise<number> {
  const db = await open(file, true)
  try {
    await rm(target, { force: true })
    return await copy(db, target, bar)
  } finally {
    db.close()
  }
}

/**
 * Replaces the database `file` with the backup `source`, through the backup API
 * (so a running app's connections see the whole restore or none of it); returns pages.
 */
export async function restoreSqlite(source: string, file: string, bar: Progress): Promise<number> {
  const db = await open(source, true)
  try {
    const ok = db.pragma("integrity_check", { simple: true })
    if (ok !== "ok") throw new Error(`${source} fails PRAGMA integrity_check: ${String(ok)}`)
    return await copy(db, file, bar)
  } finally {
    db.close()
  }
}
