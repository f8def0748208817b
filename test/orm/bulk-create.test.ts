import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, field, model } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

// 70 columns besides the id: 500 rows bind 35,000 values, past SQLite's 32,766.
const fields = Object.fromEntries(
  Array.from({ length: 70 }, (_, i) => [`c${i}`, field.integer({ default: i })]),
)
const Wide = model("bulk_wide", fields)

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: bulkCreate`, () => {
    let db: Database
    let drop: () => Promise<void>
    const inserts: number[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({
        onQuery: (e) => {
          if (e.sql.startsWith("INSERT")) inserts.push(e.parameters.length)
        },
      }))
      await createTables(db, [Wide])
    })
    afterAll(() => drop())

    it("splits a batch that would pass the database's parameter limit", async () => {
      inserts.length = 0
      const rows = await db
        .query(Wide)
        .bulkCreate(Array.from({ length: 500 }, (_, i) => ({ c0: i })) as never)
      // 71 columns with the id: 461 rows per statement on SQLite, 923 on the others.
      expect(inserts).toEqual(target.name === "sqlite" ? [461 * 70, 39 * 70] : [500 * 70])
      expect(rows.map((r) => r.c0)).toEqual(Array.from({ length: 500 }, (_, i) => i))
      expect(rows[499]?.c69).toBe(69)
      expect(await db.query(Wide).count()).toBe(500)
    })
  })
}
