import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, field, model, type QuerySet } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

// Issue 4 audit: exact decimals and times read back, compare and sort the same on
// every database (SQLite keeps decimals as text).
const Item = model("item", {
  price: field.decimal({ precision: 8, scale: 2 }),
  opens: field.time(),
  at: field.datetime(),
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: decimals, times and datetimes`, () => {
    let db: Database
    let drop: () => Promise<void>
    const log: string[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({ onQuery: (e) => log.push(e.sql) }))
      await createTables(db, [Item])
      await db.query(Item).bulkCreate([
        { price: "9.9", opens: "09:30", at: new Date("2024-03-02T10:00:00.500Z") },
        { price: "10", opens: "10:00:00", at: new Date("2024-03-01T10:00:00.000Z") },
        { price: "-0.5", opens: "23:59:59", at: new Date("2024-03-01T23:00:00.000Z") },
      ])
    })
    afterAll(() => drop())

    it("stores the canonical text every database returns", async () => {
      expect(await db.query(Item).orderBy("id").values("price", "opens").all()).toEqual([
        { price: "9.90", opens: "09:30:00" },
        { price: "10.00", opens: "10:00:00" },
        { price: "-0.50", opens: "23:59:59" },
      ])
      const zero = await db.query(Item).create({ price: "-000.0", opens: "00:00", at: new Date(0) })
      expect([zero.price, zero.opens]).toEqual(["0.00", "00:00:00"])
      await db.query(Item).filter({ id: zero.id }).delete()
    })

    it("compares and orders decimals by value", async () => {
      const prices = (qs: QuerySet<typeof Item>) => qs.values("price").all()
      expect(
        await prices(
          db
            .query(Item)
            .filter({ price: { gt: "9.95" } })
            .orderBy("price"),
        ),
      ).toEqual([{ price: "10.00" }])
      if (target.sql === "sqlite")
        expect(log.at(-1)).toBe(
          'SELECT "item"."price" AS "price" FROM "item" WHERE CAST("item"."price" AS REAL) > ? ORDER BY CAST("item"."price" AS REAL) ASC',
        )
      expect(await prices(db.query(Item).orderBy("-price"))).toEqual([
        { price: "10.00" },
        { price: "9.90" },
        { price: "-0.50" },
      ])
      expect(
        await prices(
          db
            .query(Item)
            .filter({ price: { range: ["-1", "9.9"] } })
            .orderBy("price"),
        ),
      ).toEqual([{ price: "-0.50" }, { price: "9.90" }])
    })

    it("matches a decimal by value, whatever its written form", async () => {
      expect(await db.query(Item).filter({ price: "10" }).values("id").all()).toEqual([{ id: 2 }])
      expect((await db.query(Item).get({ price: "9.900" })).id).toBe(1)
      expect(
        await db
          .query(Item)
          .filter({ price: { in: ["-0.5", "10.0"] } })
          .count(),
      ).toBe(2)
      expect(await db.query(Item).exclude({ price: "10.00" }).count()).toBe(2)
    })

    it("compares times and datetimes", async () => {
      const ids = (filter: object) =>
        db
          .query(Item)
          .filter(filter as never)
          .orderBy("id")
          .values("id")
          .all()
      expect(await ids({ opens: { lt: "10:00:00" } })).toEqual([{ id: 1 }])
      expect(await ids({ at: { gte: new Date("2024-03-01T23:00:00.000Z") } })).toEqual([
        { id: 1 },
        { id: 3 },
      ])
      expect(await db.query(Item).orderBy("at").values("id").all()).toEqual([
        { id: 2 },
        { id: 3 },
        { id: 1 },
      ])
    })
  })
}
