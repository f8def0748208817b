/**
 * The project checks of `truss check`: pending migrations, model changes without a
 * migration, and SQLite under a multi-process deploy.
 * @module
 */
import type { SystemCheck } from "./types.js"

const pending: SystemCheck = {
  deploy: false,
  async run({ project }) {
    if (!project) return []
    const open = (await project.migrator.status()).filter((m) => !m.applied).map((m) => m.name)
    if (open.length === 0) return []
    return [
      {
        id: "migrations.E001",
        level: "error",
        message: `${open.length} migration${open.length === 1 ? " is" : "s are"} not applied: ${open.join(", ")}.`,
        hint: "Run truss migrate (in a deploy: as the release step, before the new processes start).",
      },
    ]
  },
}

const unrecorded: SystemCheck = {
  deploy: false,
  async run({ project }) {
    if (!project) return []
    const changes = await project.migrator.changes(project.config.models, { noRename: true })
    if (changes.length === 0) return []
    const tables = [...new Set(changes.map((c) => ("table" in c ? String(c.table) : c.op)))]
    return [
      {
        id: "migrations.E002",
        level: "error",
        message: `Models have changes no migration records (${tables.join(", ")}).`,
        hint: "Run truss makemigrations, review the new file and commit it.",
      },
    ]
  },
}

const sqliteProcesses: SystemCheck = {
  deploy: true,
  run({ project, env }) {
    const processes = Number(env.WEB_CONCURRENCY ?? "1")
    if (!project?.config.database.startsWith("sqlite:") || !(processes > 1)) return []
    return [
      {
        id: "database.W001",
        level: "warning",
        message: `The database is SQLite and WEB_CONCURRENCY is ${processes}: the processes of one host share one file and take turns writing; several hosts cannot share it at all.`,
        hint: "Use PostgreSQL or MariaDB (DATABASE_URL=postgres://…) for more than one process, or run one process.",
      },
    ]
  },
}

/** Every project check, in report order. */
export const PROJECT_CHECKS: readonly SystemCheck[] = [pending, unrecorded, sqliteProcesses]
