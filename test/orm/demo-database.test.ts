import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openDatabase } from "../../examples/demo/database.js"
import { models } from "../../examples/demo/models.js"
import { Migrator } from "../../src/orm/index.js"

// The demo's first `npm start` creates its SQLite tables, and its
// committed migrations match its models (what `truss makemigrations --check` checks).
describe("examples/demo database", () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-audit-demo-"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("migrates a new database file on first open and nothing on the next", async () => {
    const url = `sqlite:${join(dir, "demo.db")}`
    const first: string[] = []
    const opened = await openDatabase(url, (l) => first.push(l))
    expect(first.filter((l) => !l.startsWith("  "))).toEqual([
      "Applying 0001_initial…",
      "Applied 0001_initial.",
      "Applying 0002_notes_bookmarks…",
      "Applied 0002_notes_bookmarks.",
      "Applying 0003_auth_and_task_owner…",
      "Applied 0003_auth_and_task_owner.",
      "Applying 0004_admin_log…",
      "Applied 0004_admin_log.",
    ])
    await opened.close()
    const again: string[] = []
    const reopened = await openDatabase(url, (l) => again.push(l))
    expect(again).toEqual(["No migrations to apply."])
    const migrator = new Migrator(reopened, {
      dir: fileURLToPath(new URL("../../examples/demo/migrations/", import.meta.url)),
    })
    expect(await migrator.status()).toEqual([
      { name: "0001_initial", applied: true },
      { name: "0002_notes_bookmarks", applied: true },
      { name: "0003_auth_and_task_owner", applied: true },
      { name: "0004_admin_log", applied: true },
    ])
    expect(await migrator.changes(models)).toEqual([])
    await reopened.close()
  })
})
