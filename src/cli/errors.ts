import { defineError } from "../kit.js"

/**
 * The error codes of the `truss` CLI's own commands (routes, check, shell, dev, start,
 * dumpdata, loaddata); each is listed in docs/errors.md. They end a command with exit
 * code 1 and are never HTTP responses.
 * @example
 * ```ts
 * // $ npx truss routes --app missing.ts
 * // TRUSS_ERR_CLI_APP_NOT_FOUND No app module found (tried missing.ts). Pass --app <module>, …
 * ```
 */
export const cliErrors = {
  APP_NOT_FOUND: defineError(
    "TRUSS_ERR_CLI_APP_NOT_FOUND",
    (p: { tried: string }) =>
      `No app module found (tried ${p.tried}). Pass --app <module>, set "truss": { "app": "./src/app.ts" } in package.json, or create src/app.ts exporting the App (export const app = new App()).`,
    500,
  ),
  APP_NOT_EXPORTED: defineError(
    "TRUSS_ERR_CLI_APP_NOT_EXPORTED",
    (p: { module: string; exports: string }) =>
      `${p.module} exports no App (exports: ${p.exports}). Export it as \`export const app = new App()\` or \`export default app\`, or export a function createApp() that returns it.`,
    500,
  ),
  START_NEEDS_JS: defineError(
    "TRUSS_ERR_CLI_START_NEEDS_JS",
    (p: { module: string }) =>
      `truss start runs compiled JavaScript, but ${p.module} is TypeScript. Run \`npm run build\` (tsc) and start dist/app.js, or use truss dev while developing.`,
    500,
  ),
  NO_PROJECT: defineError(
    "TRUSS_ERR_CLI_NO_PROJECT",
    (p: { command: string; cwd: string }) =>
      `truss ${p.command} found neither an app module nor truss.config.ts in ${p.cwd}. Run it in the project folder, or pass --app and --config.`,
    500,
  ),
  CHECKS_FAILED: defineError(
    "TRUSS_ERR_CLI_CHECKS_FAILED",
    (p: { count: number }) =>
      `truss check found ${p.count} serious issue${p.count === 1 ? "" : "s"}; fix them (each has a HINT) or silence one with --silence <id>.`,
    500,
  ),
  UNKNOWN_MODEL: defineError(
    "TRUSS_ERR_CLI_UNKNOWN_MODEL",
    (p: { name: string; known: string }) =>
      `No model "${p.name}" in truss.config.ts (models: ${p.known}). Use a model name as given to model().`,
    500,
  ),
  BAD_FIXTURE: defineError(
    "TRUSS_ERR_CLI_BAD_FIXTURE",
    (p: { file: string; line: number; reason: string }) =>
      `${p.file}:${p.line} is not a truss dumpdata line: ${p.reason}. Each line must be {"model": "<name>", "fields": {...}} as truss dumpdata writes it.`,
    500,
  ),
  TOOL_MISSING: defineError(
    "TRUSS_ERR_CLI_TOOL_MISSING",
    (p: { tool: string }) =>
      `${p.tool} is not installed (not found on PATH). Install the database's client tools (postgresql-client for pg_dump/pg_restore, mariadb-client or mysql-client for mysqldump/mysql).`,
    500,
  ),
  TOOL_FAILED: defineError(
    "TRUSS_ERR_CLI_TOOL_FAILED",
    (p: { tool: string; code: number; stderr: string }) =>
      `${p.tool} exited with code ${p.code}: ${p.stderr || "(no output)"}. Check the database URL and that the user may read (backup) or create tables (restore).`,
    500,
  ),
  BACKUP_UNSUPPORTED: defineError(
    "TRUSS_ERR_CLI_BACKUP_UNSUPPORTED",
    (p: { url: string }) =>
      `truss backup cannot back up ${p.url}: it knows sqlite:<file>, postgres:// and mysql:// (or mariadb://) databases. An in-memory SQLite database has nothing to back up.`,
    500,
  ),
} as const
