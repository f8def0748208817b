import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, type Database, field, Migrator, model } from "../../src/orm/index.js"

// Issue 4 audit: the TypeScript examples of docs/migrations.md run as written (paths
// moved to a temporary folder, "truss/orm" pointed at the source).
const ORM = JSON.stringify(resolve("src/orm/index.ts"))
const blocks = [
  ...(await readFile(resolve("docs/migrations.md"), "utf8")).matchAll(/```ts\n([\s\S]*?)```/g),
].map((m) => (m[1] as string).replaceAll('"truss/orm"', ORM))
const find = (needle: string): string => {
  const block = blocks.find((b) => b.includes(needle))
  if (!block) throw new Error(`docs/migrations.md has no example with ${needle}`)
  return block
}

describe("docs/migrations.md examples run", () => {
  let dir: string
  let db: Database
  const Note = model("note", {
    body: field.text(),
    done: field.boolean({ default: false }),
  })

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-docs-migrations-"))
  })
  afterAll(async () => {
    await db?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("has the config, the generated file, the data migration and the Migrator examples", () => {
    expect(blocks).toHaveLength(4)
  })

  it("loads the config example", async () => {
    await writeFile(join(dir, "truss.config.ts"), find("defineConfig({"))
    const config = (await import(join(dir, "truss.config.ts"))).default
    expect(config).toMatchObject({ migrations: "./migrations" })
    expect(config.models.map((m: { name: string }) => m.name)).toEqual(["note"])
  })

  it("runs the Migrator example, then the example migration files forwards and back", async () => {
    const code = find("new Migrator(")
      .replace("sqlite:./app.db", `sqlite:${join(dir, "app.db")}`)
      .replace('"./migrations"', JSON.stringify(join(dir, "migrations")))
      .replace("log: console.log", "log: () => {}")
    await writeFile(join(dir, "from-code.ts"), code)
    await import(join(dir, "from-code.ts"))
    db = await connect(`sqlite:${join(dir, "app.db")}`)
    const migrator = new Migrator(db, { dir: join(dir, "migrations"), log: () => {} })
    // The example migrated then rolled back its 0001_initial.
    expect(await migrator.status()).toEqual([{ name: "0001_initial", applied: false }])
    await writeFile(join(dir, "migrations", "0002_note_done.ts"), find('"addColumn"'))
    await writeFile(join(dir, "migrations", "0003_data.ts"), find('op: "runSql"'))
    expect(await migrator.migrate("0002_note_done")).toEqual(["0001_initial", "0002_note_done"])
    await db.query(Note).bulkCreate([{ body: "[x] done" }, { body: "" }, { body: "todo" }])
    expect(await migrator.migrate()).toEqual(["0003_data"])
    expect(await db.query(Note).orderBy("id").values("body", "done").all()).toEqual([
      { body: "[x] done", done: true },
      { body: "todo", done: false },
    ])
    expect(await migrator.rollback()).toEqual(["0003_data"])
    expect(await db.query(Note).filter({ done: true }).count()).toBe(0)
    expect(await migrator.changes([Note])).toEqual([
      { op: "dropIndex", table: "note", name: "note_done_idx" },
    ])
  })
})
