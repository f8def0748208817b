/**
 * PostgreSQL and MySQL/MariaDB backups through their own tools: `pg_dump -Fc` /
 * `pg_restore`, and `mysqldump --single-transaction` / `mysql`, each one consistent
 * snapshot while the app writes. The password goes through the environment
 * (PGPASSWORD, MYSQL_PWD), never the command line other users can read.
 * @module
 */
import { spawn } from "node:child_process"
import { closeSync, openSync } from "node:fs"
import { cliErrors } from "../errors.js"

/** Runs `cmd`; stdin/stdout optionally from/to files. Rejects with its stderr on failure. */
export function run(
  cmd: string,
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; stdout?: string } = {},
): Promise<void> {
  // Files as the child's own descriptors: the tool reads and writes them directly.
  const stdin = options.stdin ? openSync(options.stdin, "r") : "ignore"
  const stdout = options.stdout ? openSync(options.stdout, "w") : "ignore"
  const release = () => {
    if (typeof stdin === "number") closeSync(stdin)
    if (typeof stdout === "number") closeSync(stdout)
  }
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...options.env },
      stdio: [stdin, stdout, "pipe"],
    })
    let stderr = ""
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      stderr += d
    })
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? cliErrors.TOOL_MISSING({ tool: cmd }) : err),
    )
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(cliErrors.TOOL_FAILED({ tool: cmd, code: code ?? -1, stderr: stderr.trim() })),
    )
  }).finally(release)
}

/** The `postgres://` URL for libpq tools, without a password (that goes in PGPASSWORD). */
function pgTarget(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url)
  const env: Record<string, string> = {}
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password)
  u.password = ""
  return { dbname: u.href, env }
}

/** `pg_dump -Fc` (custom format: compressed, restored by pg_restore) of the database. */
export function backupPostgres(url: string, file: string): Promise<void> {
  const { dbname, env } = pgTarget(url)
  return run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${dbname}`], {
    env,
  })
}

/** `pg_restore --clean --if-exists` into the database, in one transaction. */
export function restorePostgres(url: string, file: string): Promise<void> {
  const { dbname, env } = pgTarget(url)
  return run(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      "--exit-on-error",
      `--dbname=${dbname}`,
      file,
    ],
    { env },
  )
}

/** mysqldump/mysql connection flags for a `mysql://` or `mariadb://` URL. */
function mysqlArgs(url: string): { args: string[]; database: string; env: Record<string, string> } {
  const u = new URL(url)
  const database = decodeURIComponent(u.pathname.slice(1))
  const args = [`--host=${u.hostname || "127.0.0.1"}`, `--port=${u.port || "3306"}`]
  if (u.username) args.push(`--user=${decodeURIComponent(u.username)}`)
  const env: Record<string, string> = u.password
    ? { MYSQL_PWD: decodeURIComponent(u.password) }
    : {}
  return { args, database, env }
}

/** `mysqldump --single-transaction` (a consistent InnoDB snapshot without locking writers). */
export function backupMysql(url: string, file: string): Promise<void> {
  const { args, database, env } = mysqlArgs(url)
  const flags = [
    "--single-transaction",
    "--routines",
    "--triggers",
    "--hex-blob",
    "--skip-lock-tables",
  ]
  return run("mysqldump", [...args, ...flags, database], { env, stdout: file })
}

/** Feeds the dump to `mysql` (it drops and recreates each table it holds). */
export function restoreMysql(url: string, file: string): Promise<void> {
  const { args, database, env } = mysqlArgs(url)
  return run("mysql", [...args, database], { env, stdin: file })
}
