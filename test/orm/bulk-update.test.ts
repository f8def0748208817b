import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, F, field, model } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Item = model("bulk_item", {
  name: field.string({ max: 5 }),
  qty: field.integer(),
  price: field.decimal({ precision: 6, scale: 2, null: true }),
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: bulkUpdate`, () => {
    let db: Database
    let drop: () => Promise<void>
    const log: { sql: string; parameters: readonly unknown[] }[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({
        onQuery: (e) => log.push({ sql: e.sql, parameters: e.parameters }),
      }))
      await createTables(db, [Item])
      await db.query(Item).bulkCreate([
        { name: "a", qty: 1, price: "1.50" },
        { name: "b", qty: 2, price: null },
        { name: "c", qty: 3, price: "3.25" },
      ])
    })
    afterAll(() => drop())

    it("updates the given keys of every row by primary key and returns the count", async () => {
      const rows = await db.query(Item).orderBy("id").all()
      const changed = rows.map((r) => ({ ...r, qty: r.qty * 10, price: "9.99", name: "zzz" }))
      log.length = 0
      expect(await db.query(Item).bulkUpdate(changed, ["qty", "price"])).toBe(3)
      if (target.sql === "postgres") {
        expect(log).toEqual([
          {
            sql:
              'UPDATE "bulk_item" SET "qty" = "v"."c1", "price" = "v"."c2" FROM (VALUES ' +
              "($1::BIGINT, $2::INTEGER, $3::NUMERIC), ($4::BIGINT, $5::INTEGER, $6::NUMERIC), " +
              '($7::BIGINT, $8::INTEGER, $9::NUMERIC)) AS "v"("id", "c1", "c2") WHERE "bulk_item"."id" = "v"."id"',
            parameters: [1, 10, "9.99", 2, 20, "9.99", 3, 30, "9.99"],
          },
        ])
      }
      const after = await db.query(Item).orderBy("id").values("name", "qty", "price").all()
      expect(after).toEqual([
        { name: "a", qty: 10, price: "9.99" },
        { name: "b", qty: 20, price: "9.99" },
        { name: "c", qty: 30, price: "9.99" },
      ])
    })

    it("validates every row before writing any", async () => {
      const rows = await db.query(Item).orderBy("id").all()
      const bad = [
        { ...rows[0]!, name: "ok" },
        { ...rows[1]!, name: "far too long" },
      ]
      await expect(db.query(Item).bulkUpdate(bad, ["name"])).rejects.toThrow(
        "name: Must be at most 5 characters.",
      )
      expect((await db.query(Item).get({ id: rows[0]!.id })).name).toBe("a")
    })

    it("applies a repeated id in order, the last value winning", async () => {
      const [first] = await db.query(Item).orderBy("id").all()
      const id = first!.id
      expect(
        await db.query(Item).bulkUpdate(
          [
            { id, qty: 7 },
            { id, qty: 8 },
          ],
          ["qty"],
        ),
      ).toBe(2)
      expect((await db.query(Item).get({ id })).qty).toBe(8)
    })

    it("accepts expressions, updating row by row", async () => {
      const [first] = await db.query(Item).orderBy("id").all()
      const id = first!.id
      await db.query(Item).bulkUpdate([{ id, qty: F("qty").add(1) as never }], ["qty"])
      expect((await db.query(Item).get({ id })).qty).toBe(9)
    })
  })
}
