import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, field, model, sql } from "../../src/orm/index.js"
import { schemaDifferences } from "../../src/orm/migrations/introspect.js"
import { modelsState } from "../../src/orm/migrations/state.js"
import { sqlFor, testDatabases } from "../support/databases.js"

// Issue 4 audit: on-delete modes, hooks, field options and field-level messages,
// on every database.
const events: string[] = []
const Owner = model(
  "owner",
  {
    name: field.string({ max: 20, dbColumn: "owner_name", index: true, label: "Name", help: "h" }),
  },
  {
    hooks: {
      beforeSave: (v, { created }) => void events.push(`beforeSave ${created} ${v.name}`),
      afterSave: (r, { created }) => void events.push(`afterSave ${created} ${r.id}`),
      beforeDelete: (r) => void events.push(`beforeDelete ${r.id}`),
      afterDelete: (r) => void events.push(`afterDelete ${r.id}`),
    },
  },
)
const Restricted = model("restricted", {
  owner: field.foreignKey(() => Owner, { onDelete: "restrict" }),
})
const Protected = model("protected", {
  owner: field.foreignKey(() => Owner, { onDelete: "protect" }),
})
const Unchecked = model("unchecked", {
  owner: field.foreignKey(() => Owner, { onDelete: "noAction" }),
})
const Checked = model("checked", {
  mail: field.email(),
  site: field.url(),
  key: field.uuid(),
  even: field.integer({ validators: [(n) => (n % 2 === 0 ? undefined : "Must be even.")] }),
  size: field.string({ max: 5, choices: ["s", "m"] }),
  opens: field.time(),
  day: field.date(),
})
const MODELS = [Owner, Restricted, Protected, Unchecked, Checked]

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: audit of models`, () => {
    let db: Database
    let drop: () => Promise<void>
    const log: string[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({ onQuery: (e) => log.push(e.sql) }))
      await createTables(db, MODELS)
    })
    afterAll(() => drop())

    it("creates the tables the models describe, with dbColumn and index", async () => {
      expect(await schemaDifferences(db, modelsState(MODELS))).toEqual([])
      expect(Owner.meta.indexes).toEqual([
        { name: "owner_owner_name_idx", columns: ["owner_name"], unique: false },
      ])
      expect(Owner.fields.name.options).toMatchObject({ label: "Name", help: "h" })
    })

    it("runs save and delete hooks in order around single-row writes", async () => {
      events.length = 0
      const a = await db.query(Owner).create({ name: "a" })
      expect(log.at(-1)).toBe(
        target.name === "mysql-no-returning"
          ? "SELECT `id`, `owner_name` FROM `owner` WHERE `id` IN (?)"
          : sqlFor(
              target.name,
              `INSERT INTO "owner" ("owner_name") VALUES (?) RETURNING "id", "owner_name"`,
            ),
      )
      expect(a).toEqual({ id: 1, name: "a" })
      await db.query(Owner).save({ ...a, name: "b" })
      const c = await db.query(Owner).create({ name: "c" })
      await db.query(Owner).deleteRow(c)
      expect(events).toEqual([
        "beforeSave true a",
        "afterSave true 1",
        "beforeSave false b",
        "afterSave false 1",
        "beforeSave true c",
        "afterSave true 2",
        "beforeDelete 2",
        "afterDelete 2",
      ])
      const raw = await db.execute<{ n: string }>(
        sql`SELECT ${sql.ref("owner_name")} AS ${sql.ref("n")} FROM ${sql.ref("owner")}`,
      )
      expect(raw).toEqual([{ n: "b" }])
    })

    it("refuses to delete a row that restrict, protect or noAction keys still point at", async () => {
      const code = {
        sqlite: ["SQLITE_CONSTRAINT_TRIGGER", "SQLITE_CONSTRAINT_FOREIGNKEY"],
        postgres: ["23503", "23503"],
        mariadb: ["ER_ROW_IS_REFERENCED_2", "ER_ROW_IS_REFERENCED_2"],
      }[target.sql]
      for (const [i, child] of [Restricted, Protected, Unchecked].entries()) {
        const owner = await db.query(Owner).create({ name: `o${i}` })
        await db.query(child).create({ ownerId: owner.id })
        const expected = {
          code: "TRUSS_ERR_ORM_PROTECTED",
          cause: { code: "TRUSS_ERR_ORM_INTEGRITY", cause: { code: i < 2 ? code[0] : code[1] } },
        }
        await expect(db.query(Owner).filter({ id: owner.id }).delete()).rejects.toMatchObject(
          expected,
        )
        await expect(db.query(Owner).deleteRow(owner)).rejects.toMatchObject(expected)
        expect(await db.query(Owner).filter({ id: owner.id }).count()).toBe(1)
        await db.query(child).filter({ ownerId: owner.id }).delete()
        expect(await db.query(Owner).filter({ id: owner.id }).delete()).toBe(1)
      }
    })

    it("rejects invalid field values with one message per field, before any SQL", async () => {
      const before = log.length
      const err = await db
        .query(Checked)
        .create({
          mail: "nope",
          site: "ftp://x",
          key: "zz",
          even: 3,
          size: "xl",
          opens: "25:00",
          day: "2020-02-30",
        } as never)
        .catch((e: { code: string; extensions: unknown }) => [e.code, e.extensions])
      expect(err).toEqual([
        "TRUSS_ERR_ORM_VALIDATION",
        {
          errors: [
            { field: "mail", message: "Must be a valid email address." },
            { field: "site", message: "Must be a valid http(s) URL." },
            { field: "key", message: "Must be a UUID." },
            { field: "even", message: "Must be even." },
            { field: "size", message: "Must be one of: s, m." },
            { field: "opens", message: "Must be a time (HH:MM[:SS])." },
            { field: "day", message: "Must be a date (YYYY-MM-DD)." },
          ],
        },
      ])
      expect(log.length).toBe(before)
      const ok = {
        mail: "a@b.co",
        site: "https://x.org/a",
        key: "4b7c9d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e",
        even: 4,
        size: "m" as const,
        opens: "23:59:59",
        day: "2024-02-29",
      }
      expect(await db.query(Checked).create(ok)).toEqual({ id: 1, ...ok })
    })
  })
}
