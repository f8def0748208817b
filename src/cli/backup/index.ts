/**
 * `truss backup` / `truss restore`: a whole-database copy in the database's own format
 * (SQLite's backup API, pg_dump's custom format, mysqldump SQL), for disaster recovery
 * on the same engine. `truss dumpdata` is the portable, cross-database one.
 * @module
 */
import { resolve } from "node:path"
import { cliErrors } from "../errors.js"
import type { Progress } from "../progress/index.js"
import { backupSqlite, restoreSqlite } from "./sqlite.js"
import { backupMysql, backupPostgres, restoreMysql, restorePostgres } from "./tools.js"

/** The engines `truss backup` handles. */
export type BackupEngine = "sqlite" | "postgres" | "mysql"

/** Which engine a database URL names; throws for one it cannot back up. */
export function engineOf(url: string): BackupEngine {
  if (url.startsWith("sqlite:") && !url.includes(":memory:")) return "sqlite"
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres"
  if (/^(mysql|mariadb):\/\//.test(url)) return "mysql"
  throw cliErrors.BACKUP_UNSUPPORTED({ url: url.replace(/\/\/[^@/]*@/, "//…@") })
}

/** The file of a `sqlite:` URL, resolved against `cwd`. */
function sqliteFile(url: string, cwd: string): string {
  return resolve(cwd, url.slice("sqlite:".length).replace(/^\/\//, ""))
}

/**
 * Backs up the database at `url` to `file`. The bar counts percent for SQLite; the
 * tools give no measure, so it goes from 0 to 100 when they finish.
 * @example
 * ```ts
 * // await backupDatabase("sqlite:./app.db", "/backups/app.db", process.cwd(), bar)
 * ```
 */
export async function backupDatabase(
  url: string,
  file: string,
  cwd: string,
  bar: Progress,
): Promise<BackupEngine> {
  const engine = engineOf(url)
  if (engine === "sqlite") await backupSqlite(sqliteFile(url, cwd), file, bar)
  else {
    await (engine === "postgres" ? backupPostgres(url, file) : backupMysql(url, file))
    bar.update(100)
  }
  return engine
}

/** Restores `file` (written by {@link backupDatabase} for the same engine) into `url`. */
export async function restoreDatabase(
  url: string,
  file: string,
  cwd: string,
  bar: Progress,
): Promise<BackupEngine> {
  const engine = engineOf(url)
  if (engine === "sqlite") await restoreSqlite(file, sqliteFile(url, cwd), bar)
  else {
    await (engine === "postgres" ? restorePostgres(url, file) : restoreMysql(url, file))
    bar.update(100)
  }
  return engine
}
