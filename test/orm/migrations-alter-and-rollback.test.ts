import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Database, field, Migrator, model } from "../../src/orm/index.js"
import { schemaDifferences } from "../../src/orm/migrations/introspect.js"
import { modelsState } from "../../src/orm/migrations/state.js"
import { sqlFor, testDatabases } from "../support/databases.js"

// Issue 4 audit: foreign keys and unique constraints added to and removed from a table
// that has rows, a dropped table, every step rolled back, and a failing migration.
const Writer = model("writer", { name: field.string({ max: 40 }) })
const PostV1 = model("post", {
  title: field.string({ max: 50 }),
  body: field.text({ default: "" }),
})
const PostV2 = model(
  "post",
  {
    title: field.string({ max: 80, null: true }),
    code: field.string({ max: 10, default: "x" }),
    writer: field.foreignKey(() => Writer, { null: true, onDelete: "setNull" }),
  },
  { constraints: [{ type: "unique", name: "post_title_code_uniq", fields: ["title", "code"] }] },
)
const PostV3 = model("post", {
  title: field.string({ max: 80, null: true }),
  code: field.string({ max: 10, default: "x" }),
})
const STATES = [[Writer, PostV1], [Writer, PostV2], [Writer, PostV3], [Writer]]

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: audit of migrations`, () => {
    const q = (s: string) => sqlFor(target.name, s)
    let db: Database
    let drop: () => Promise<void>
    let dir: string
    let migrator: Migrator

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      dir = await mkdtemp(join(tmpdir(), "truss-audit-migrations-"))
      migrator = new Migrator(db, { dir, log: () => {} })
      await migrator.makeMigrations(STATES[0] ?? [])
      await migrator.migrate()
      await db.query(PostV1).create({ title: "keep me" })
    })
    afterAll(async () => {
      await drop()
      await rm(dir, { recursive: true, force: true })
    })

    it("adds a foreign key, a unique constraint and alters a column of a table with rows", async () => {
      const made = await migrator.makeMigrations(STATES[1] ?? [], { noRename: true })
      expect(made?.name).toBe("0002_post_code_and_post_writer_id")
      expect(made?.operations.map((o) => o.op)).toEqual([
        "addColumn",
        "addColumn",
        "alterColumn",
        "dropColumn",
        "addIndex",
        "addIndex",
      ])
      const statements = await migrator.sql("0002_post_code_and_post_writer_id")
      const fk = q(
        'CONSTRAINT "post_writer_id_fk" FOREIGN KEY ("writer_id") REFERENCES "writer" ("id") ON DELETE SET NULL',
      )
      const tail = [
        q('CREATE INDEX "post_writer_id_idx" ON "post" ("writer_id")'),
        q('CREATE UNIQUE INDEX "post_title_code_uniq" ON "post" ("title", "code")'),
      ]
      const rebuild = (columns: string, copied: string) => [
        `CREATE TABLE "truss_new_post" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, ${columns}, ${fk})`,
        `INSERT INTO "truss_new_post" (${copied}) SELECT ${copied} FROM "post"`,
        'DROP TABLE "post"',
        'ALTER TABLE "truss_new_post" RENAME TO "post"',
      ]
      const code = `"code" TEXT NOT NULL DEFAULT 'x', "writer_id" INTEGER NULL`
      expect(statements).toEqual(
        {
          sqlite: [
            `ALTER TABLE "post" ADD COLUMN "code" TEXT NOT NULL DEFAULT 'x'`,
            ...rebuild(
              `"title" TEXT NOT NULL, "body" TEXT NOT NULL DEFAULT '', ${code}`,
              '"id", "title", "body", "code"',
            ),
            ...rebuild(
              `"title" TEXT NULL, "body" TEXT NOT NULL DEFAULT '', ${code}`,
              '"id", "title", "body", "code", "writer_id"',
            ),
            ...rebuild(`"title" TEXT NULL, ${code}`, '"id", "title", "code", "writer_id"'),
            ...tail,
          ],
          postgres: [
            `ALTER TABLE "post" ADD COLUMN "code" VARCHAR(10) NOT NULL DEFAULT 'x'`,
            'ALTER TABLE "post" ADD COLUMN "writer_id" BIGINT NULL',
            `ALTER TABLE "post" ADD ${fk}`,
            'ALTER TABLE "post" ALTER COLUMN "title" TYPE VARCHAR(80) USING "title"::VARCHAR(80)',
            'ALTER TABLE "post" ALTER COLUMN "title" DROP NOT NULL',
            'ALTER TABLE "post" DROP COLUMN "body"',
            ...tail,
          ],
          mariadb: [
            "ALTER TABLE `post` ADD COLUMN `code` VARCHAR(10) NOT NULL DEFAULT 'x'",
            "ALTER TABLE `post` ADD COLUMN `writer_id` BIGINT NULL",
            `ALTER TABLE \`post\` ADD ${fk}`,
            "ALTER TABLE `post` MODIFY COLUMN `title` VARCHAR(80) NULL",
            "ALTER TABLE `post` DROP COLUMN `body`",
            ...tail,
          ],
        }[target.sql],
      )
      expect(await migrator.migrate()).toEqual(["0002_post_code_and_post_writer_id"])
      expect(await schemaDifferences(db, modelsState(STATES[1] ?? []))).toEqual([])
      expect(await db.query(PostV2).values("title", "code", "writerId").all()).toEqual([
        { title: "keep me", code: "x", writerId: null },
      ])
      const w = await db.query(Writer).create({ name: "W" })
      await db.query(PostV2).filter({ title: "keep me" }).update({ writerId: w.id })
      await expect(db.query(PostV2).create({ title: "keep me" })).rejects.toThrow(
        "Duplicate value for post(title, code): another row already has it. Use a different value, or update the existing row instead.",
      )
      await db.query(Writer).filter({ id: w.id }).delete()
      expect(await db.query(PostV2).values("writerId").all()).toEqual([{ writerId: null }])
    })

    it("removes a foreign key and a unique constraint, then drops a table", async () => {
      const made3 = await migrator.makeMigrations(STATES[2] ?? [], { noRename: true })
      expect(made3?.operations.map((o) => o.op)).toEqual(["dropIndex", "dropColumn"])
      expect(await migrator.migrate()).toEqual([made3?.name])
      expect(await schemaDifferences(db, modelsState(STATES[2] ?? []))).toEqual([])
      const made4 = await migrator.makeMigrations(STATES[3] ?? [], { noRename: true })
      expect(made4?.operations).toEqual([{ op: "dropTable", table: "post" }])
      await migrator.migrate()
      expect(await schemaDifferences(db, modelsState(STATES[3] ?? []))).toEqual([])
    })

    it("rolls every step back to the schema before it, keeping the rows", async () => {
      for (const i of [2, 1, 0]) {
        await migrator.rollback()
        expect(await schemaDifferences(db, modelsState(STATES[i] ?? []))).toEqual([])
      }
      expect(await db.query(PostV1).values("title", "body").all()).toEqual([])
      await db.query(PostV1).create({ title: "again" })
      expect(await migrator.migrate()).toHaveLength(3)
      expect(await schemaDifferences(db, modelsState(STATES[3] ?? []))).toEqual([])
    })

    it("leaves no trace of a failing migration where DDL is transactional", async () => {
      await writeFile(
        join(dir, "0005_bad.ts"),
        `export default {
  dependencies: ["0004_delete_post"],
  operations: [
    { op: "addColumn", table: "writer", column: { name: "extra", kind: "integer", default: 0 } },
    { op: "runSql", forward: ["SELECT * FROM no_such_table"], backward: [] },
  ],
}
`,
      )
      await expect(migrator.migrate()).rejects.toThrow(/no_such_table/)
      expect((await migrator.status()).at(-1)).toEqual({ name: "0005_bad", applied: false })
      const diff = await schemaDifferences(db, modelsState(STATES[3] ?? []))
      // MySQL commits each DDL statement: the column stays, as docs/migrations.md says.
      expect(diff).toEqual(
        target.sql === "mariadb" ? ["writer columns: want id,name, got extra,id,name"] : [],
      )
      await rm(join(dir, "0005_bad.ts"))
    })
  })
}
