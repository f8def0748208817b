import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, type Database, field, Migrator, model } from "../../src/orm/index.js"

// Issue 4 audit: SQLite rebuilds a table that others reference (DROP TABLE of the
// parent) without firing their ON DELETE CASCADE, forwards and backwards.
const WriterV1 = model("writer", { name: field.string({ max: 40 }) })
const PostV1 = model("post", { writer: field.foreignKey(() => WriterV1, { onDelete: "cascade" }) })
const WriterV2 = model("writer", { name: field.string({ max: 80, null: true }) })
const PostV2 = model("post", { writer: field.foreignKey(() => WriterV2, { onDelete: "cascade" }) })

describe("sqlite: rebuilding a referenced table", () => {
  let dir: string
  let db: Database
  const lines: string[] = []
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-audit-rebuild-"))
    db = await connect(`sqlite:${join(dir, "app.db")}`)
  })
  afterAll(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("keeps the child rows and the foreign key's cascade", async () => {
    const migrator = new Migrator(db, { dir, log: (l) => lines.push(l) })
    await migrator.makeMigrations([WriterV1, PostV1])
    await migrator.migrate()
    const w = await db.query(WriterV1).create({ name: "a" })
    await db.query(PostV1).bulkCreate([{ writerId: w.id }, { writerId: w.id }])
    await migrator.makeMigrations([WriterV2, PostV2])
    lines.length = 0
    expect(await migrator.migrate()).toEqual(["0002_alter_writer_name"])
    expect(lines).toEqual([
      "Applying 0002_alter_writer_name…",
      '  CREATE TABLE "truss_new_writer" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NULL)',
      '  INSERT INTO "truss_new_writer" ("id", "name") SELECT "id", "name" FROM "writer"',
      '  DROP TABLE "writer"',
      '  ALTER TABLE "truss_new_writer" RENAME TO "writer"',
      "Applied 0002_alter_writer_name.",
    ])
    expect(await db.query(PostV2).count()).toBe(2)
    await migrator.rollback()
    expect(await db.query(PostV1).count()).toBe(2)
    expect(await db.query(WriterV1).filter({ id: w.id }).delete()).toBe(1)
    expect(await db.query(PostV1).count()).toBe(0)
  })
})
